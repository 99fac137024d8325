/**
 * What the window may send, validated before any handler runs. The renderer is treated as
 * untrusted: bounded lengths, closed enums, patterns for ids that end up in paths or argv.
 */
import * as z from 'zod/mini';
import { Settings } from '../main/engine/settings.js';
import { TOKEN_PROVIDERS } from '../main/engine/tokens/add.js';

/** Providers the paste box may send: exactly those the token engine takes. */
export const ADD_TOKEN_PROVIDERS = TOKEN_PROVIDERS;

export const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** `<provider>:<name>`, as the gateways spell profile ids (no more than the token engine's checkProfileId takes). */
export const PROFILE_ID = /^[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export const AddTokenRequestSchema = z
  .strictObject({
    provider: z.enum(ADD_TOKEN_PROVIDERS),
    // Printable ASCII, no spaces: a token pasted with a line break or a space is a broken token.
    token: z.string().check(z.minLength(20), z.maxLength(4096), z.regex(/^[\x21-\x7e]+$/)),
    profileId: z.optional(z.string().check(z.regex(PROFILE_ID))),
    expiresInDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(3650))),
  })
  .check(
    z.refine((r) => r.profileId === undefined || r.profileId.startsWith(`${r.provider}:`), {
      message: 'the profile id must start with the provider',
      path: ['profileId'],
    }),
  );

export const AgentIdSchema = z.string().check(z.regex(AGENT_ID));

/**
 * A strict partial of the Settings schema: every key optional, none defaulted (a patch of one
 * key must not reset the others), unknown keys refused.
 */
type Unwrapped = { [K in keyof typeof Settings.shape]: (typeof Settings.shape)[K]['def']['innerType'] };
const inner = Object.fromEntries(
  Object.entries(Settings.shape).map(([k, s]) => [k, z.optional(s.def.innerType)]),
) as unknown as {
  [K in keyof Unwrapped]: z.ZodMiniOptional<Unwrapped[K]>;
};
export const SettingsPatchSchema = z.strictObject(inner);
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Argument tuples per invoke channel. */
export const NoArgs = z.tuple([]);
export const ARG_SCHEMAS = {
  getSnapshot: NoArgs,
  resync: NoArgs,
  openSetupToken: NoArgs,
  getSettings: NoArgs,
  addToken: z.tuple([AddTokenRequestSchema]),
  revealStore: z.tuple([AgentIdSchema]),
  setSettings: z.tuple([SettingsPatchSchema]),
} as const;

/** Names the fields that failed, never their values (a refused token must not echo back). */
export function describeRefusal(error: z.core.$ZodError): string {
  const fields = [
    ...new Set(error.issues.map((i) => i.path.filter((p) => typeof p !== 'number').join('.') || 'arguments')),
  ];
  return fields.join(', ');
}
