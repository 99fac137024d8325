/** AuthBar's own settings: one JSON file, validated (common/settings.ts); defaults when it is absent. */
import { DEFAULT_SETTINGS, RETIRED_SETTINGS, Settings } from '../../common/settings.js';
import { AuthBarError } from './errors.js';
import { readJsonFile, MiB } from './fs/jsonfile.js';
import { describeIssues } from './schemas.js';

export { DEFAULT_SETTINGS, Settings };

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
  const known = new Set([...Object.keys(DEFAULT_SETTINGS), ...RETIRED_SETTINGS]);
  const unknownKeys =
    read.value && typeof read.value === 'object' && !Array.isArray(read.value)
      ? Object.keys(read.value).filter((k) => !known.has(k))
      : [];
  return { settings: parsed.data, path, exists: true, unknownKeys };
}
