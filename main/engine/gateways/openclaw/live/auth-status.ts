/**
 * The answer of OpenClaw's `models.authStatus` gateway method, read defensively: the shape is
 * unversioned, so every field is optional and a field of the wrong type reads as absent. A
 * provider or profile without its id is dropped; nothing else fails the parse. It carries no
 * secret (verified on 2026.9.6: expiries, statuses, usage percentages only).
 */
import * as z from 'zod/mini';

const optString = z.catch(z.optional(z.string()), undefined);
const optNumber = z.catch(z.optional(z.number().check(z.refine(Number.isFinite))), undefined);
const expiry = z.catch(z.optional(z.looseObject({ at: optNumber, remainingMs: optNumber })), undefined);

const UsageWindow = z.looseObject({
  label: z.string(),
  usedPercent: z.number().check(z.refine(Number.isFinite)),
  resetAt: optNumber,
});

const Profile = z.looseObject({
  profileId: z.string().check(z.minLength(1)),
  type: optString,
  status: optString,
  reasonCode: optString,
  source: optString,
  expiry,
});

/** Keeps the entries of an array that parse; anything else reads as an empty list. */
function lenientArray<T extends z.ZodMiniType>(item: T) {
  return z.catch(
    z.pipe(
      z.array(z.unknown()),
      z.transform((xs) =>
        xs.flatMap((x) => {
          const r = item.safeParse(x);
          return r.success ? [r.data as z.infer<T>] : [];
        }),
      ),
    ),
    [],
  );
}

const Provider = z.looseObject({
  provider: z.string().check(z.minLength(1)),
  displayName: optString,
  status: optString,
  expiry,
  profiles: lenientArray(Profile),
  usage: z.catch(
    z.optional(z.looseObject({ windows: lenientArray(UsageWindow), plan: optString, error: optString })),
    undefined,
  ),
});

export const AuthStatusPayload = z.looseObject({
  ts: optNumber,
  providers: lenientArray(Provider),
  /** Present while the gateway's model catalog loads (then `providers` is empty). */
  unavailable: z.catch(z.optional(z.looseObject({ code: optString, message: optString })), undefined),
});
export type AuthStatusPayload = z.infer<typeof AuthStatusPayload>;
export type AuthStatusProvider = AuthStatusPayload['providers'][number];
export type AuthStatusProfile = AuthStatusProvider['profiles'][number];
