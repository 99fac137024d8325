/**
 * The answer of OpenClaw's `models.authStatus` gateway method, read defensively: the shape is
 * unversioned, so every field is optional and a field of the wrong type reads as absent. A
 * provider or profile without its id is dropped; nothing else fails the parse. It carries no
 * secret (verified on 2026.9.6: expiries, statuses, usage percentages only).
 */
import * as z from 'zod/mini';
import { MAX_TIME } from '../../../time.js';
import { scrubSecrets } from '../../../../../common/scrub.js';
import { cleanGatewayText } from './transport.js';

/** Caps on what one answer may hold: a gateway is a network peer, and a menu is glanced at. */
const MAX_TEXT = 200;
const MAX_PROVIDERS = 100;
const MAX_PROFILES = 50;
const MAX_WINDOWS = 20;

/** Words a network peer chose (names, labels, statuses): one line, no control characters, anything shaped like a credential masked. */
const peerText = z.pipe(
  z.string().check(z.maxLength(MAX_TEXT)),
  z.transform((t) => scrubSecrets(cleanGatewayText(t, []))),
);
const optString = z.catch(z.optional(peerText), undefined);
const optNumber = z.catch(z.optional(z.number().check(z.refine(Number.isFinite))), undefined);
/** An instant: a number a Date can hold (the gateway's others read as absent). */
const optTime = z.catch(
  z.optional(z.number().check(z.refine((n) => Number.isFinite(n) && Math.abs(n) <= MAX_TIME))),
  undefined,
);
const expiry = z.catch(z.optional(z.looseObject({ at: optTime, remainingMs: optNumber })), undefined);

const UsageWindow = z.looseObject({
  label: z.pipe(z.string().check(z.minLength(1)), peerText),
  // Clamped to a range a bar and a notice can show (the gateway itself clamps to 0–100).
  usedPercent: z.pipe(
    z.number().check(z.refine(Number.isFinite)),
    z.transform((n) => Math.min(1000, Math.max(0, n))),
  ),
  resetAt: optTime,
});

const Profile = z.looseObject({
  profileId: z.string().check(z.minLength(1), z.maxLength(MAX_TEXT)),
  type: optString,
  status: optString,
  reasonCode: optString,
  source: optString,
  expiry,
});

/** Keeps the entries of an array that parse; anything else reads as an empty list. */
function lenientArray<T extends z.ZodMiniType>(item: T, max: number) {
  return z.catch(
    z.pipe(
      z.array(z.unknown()),
      z.transform((xs) =>
        xs
          .flatMap((x) => {
            const r = item.safeParse(x);
            return r.success ? [r.data as z.infer<T>] : [];
          })
          .slice(0, max),
      ),
    ),
    [],
  );
}

const Provider = z.looseObject({
  provider: z.string().check(z.minLength(1), z.maxLength(MAX_TEXT)),
  displayName: optString,
  status: optString,
  expiry,
  profiles: lenientArray(Profile, MAX_PROFILES),
  usage: z.catch(
    z.optional(z.looseObject({ windows: lenientArray(UsageWindow, MAX_WINDOWS), plan: optString, error: optString })),
    undefined,
  ),
});

export const AuthStatusPayload = z.looseObject({
  ts: optNumber,
  providers: lenientArray(Provider, MAX_PROVIDERS),
  /** Present while the gateway's model catalog loads (then `providers` is empty). */
  unavailable: z.catch(z.optional(z.looseObject({ code: optString, message: optString })), undefined),
});
export type AuthStatusPayload = z.infer<typeof AuthStatusPayload>;
export type AuthStatusProvider = AuthStatusPayload['providers'][number];
export type AuthStatusProfile = AuthStatusProvider['profiles'][number];
