/** AuthBar's own settings: one JSON file, validated; defaults when it is absent. */
import * as z from 'zod/mini';
import { AuthBarError } from './errors.js';
import { readJsonFile, MiB } from './fs/jsonfile.js';
import { describeIssues } from './schemas.js';

export const Settings = z.object({
  /** Hours before a non-refreshable credential's expiry at which AuthBar starts to warn. */
  warnHours: z._default(z.number().check(z.positive(), z.lte(24 * 365)), 24),
  /** Agent ids to manage; null manages every agent found. */
  agents: z._default(z.nullable(z.array(z.string().check(z.minLength(1)))), null),
  refresh: z._default(z.enum(['off', 'on-expiry', 'ahead']), 'on-expiry'),
  notifications: z._default(z.boolean(), true),
  /** Terminal app for `claude setup-token`; null picks the platform's default. */
  terminal: z._default(z.nullable(z.string()), null),
  /** Days before a setup token's one-year mark at which AuthBar starts to warn. */
  tokenReminderDays: z._default(z.number().check(z.positive(), z.lte(365)), 30),
  /** The same state of the same profile is never notified twice within this many hours. */
  notifyRepeatHours: z._default(z.number().check(z.positive(), z.lte(24 * 30)), 24),
  /** The gateway's CLI (`openclaw` / `clawdbot`) when it is not on PATH; null looks on PATH. */
  gatewayCli: z._default(z.nullable(z.string().check(z.minLength(1))), null),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = Settings.parse({});

/** `unknownKeys`: keys the file has that AuthBar does not know (kept out, warned about: a typo, or a newer AuthBar's). */
export type SettingsRead = { settings: Settings; path: string; exists: boolean; unknownKeys: string[] };

/** Reads the settings; a file that exists but is broken is an error, never silently ignored. */
export async function readSettings(path: string): Promise<SettingsRead> {
  const read = await readJsonFile(path, {
    label: 'AuthBar settings file',
    remedy: 'fix it, or delete it to use the defaults',
    maxBytes: 1 * MiB,
  });
  if (read.kind === 'missing') return { settings: DEFAULT_SETTINGS, path, exists: false, unknownKeys: [] };
  if (read.kind === 'error') throw new AuthBarError('config', read.error.message, path);
  const parsed = Settings.safeParse(read.value);
  if (!parsed.success) {
    throw new AuthBarError(
      'config',
      `The AuthBar settings file ${path} is not valid (${describeIssues(parsed.error)}): fix it or delete it to use the defaults.`,
      path,
    );
  }
  const known = new Set(Object.keys(DEFAULT_SETTINGS));
  const unknownKeys =
    read.value && typeof read.value === 'object' && !Array.isArray(read.value)
      ? Object.keys(read.value).filter((k) => !known.has(k))
      : [];
  return { settings: parsed.data, path, exists: true, unknownKeys };
}
