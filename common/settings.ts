/**
 * AuthBar's settings: the schema (one JSON file, defaults for what it leaves out), its bounds
 * (common/rules.ts) and the patch the window may send. The engine reads the file
 * (main/engine/settings.ts); the app and `authbar hosts` write patches into it (main/engine/settings-write.ts).
 */
import * as z from 'zod/mini';
import { HostList } from './host-entry.js';
import { inSettingBounds, isTerminalName, settingRange, type BoundedSetting } from './rules.js';

/** A bounded number whose error names the range (zod/mini's own says only "Invalid input"). */
const bounded = (key: BoundedSetting) => {
  const error = `must be ${settingRange(key)}`;
  return z.number({ error }).check(z.refine((n) => inSettingBounds(key, n), { error }));
};

export const Settings = z.object({
  /** Hours before a non-refreshable credential's expiry at which AuthBar starts to warn. */
  warnHours: z._default(bounded('warnHours'), 24),
  /** Agent ids to manage; null manages every agent found, an empty list none. */
  agents: z._default(z.nullable(z.array(z.string().check(z.minLength(1)))), null),
  notifications: z._default(z.boolean(), true),
  /** Terminal app for `claude setup-token`; null picks the platform's default. */
  terminal: z._default(
    z.nullable(z.string().check(z.refine(isTerminalName, { message: 'a name or a path on one line' }))),
    null,
  ),
  /** Days before a setup token's one-year mark at which AuthBar starts to warn. */
  tokenReminderDays: z._default(bounded('tokenReminderDays'), 30),
  /** The same state of the same profile is never notified twice within this many hours. */
  notifyRepeatHours: z._default(bounded('notifyRepeatHours'), 24),
  /** The gateway's CLI (`openclaw` / `clawdbot`) when it is not on PATH; null looks on PATH. */
  gatewayCli: z._default(z.nullable(z.string().check(z.minLength(1))), null),
  /** Ask the running OpenClaw gateway for its own auth status and usage windows (read scope only). */
  liveGateway: z._default(z.boolean(), true),
  /** Other machines that run a gateway, watched over ssh (`authbar hosts add NAME SSH`). */
  hosts: z._default(HostList, []),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = Settings.parse({});

/**
 * Keys earlier versions of AuthBar knew and no longer read: a file that still has them is
 * fine, and they are not reported as unknown (a typo) either. `refresh` never had an effect.
 */
export const RETIRED_SETTINGS: readonly string[] = ['refresh'];

/**
 * A strict partial of the Settings schema: every key optional, none defaulted (a patch of one
 * key must not reset the others), unknown keys refused.
 */
type Unwrapped = { [K in keyof typeof Settings.shape]: (typeof Settings.shape)[K]['def']['innerType'] };
const optionalShape = Object.fromEntries(
  Object.entries(Settings.shape).map(([k, s]) => [k, z.optional(s.def.innerType)]),
) as unknown as { [K in keyof Unwrapped]: z.ZodMiniOptional<Unwrapped[K]> };
export const SettingsPatch = z.strictObject(optionalShape);
export type SettingsPatch = z.infer<typeof SettingsPatch>;
