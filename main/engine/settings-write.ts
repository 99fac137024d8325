/**
 * Applies a settings patch to AuthBar's settings file: validated against the whole settings,
 * then only the patched keys set in the file's own text (fs/json-text-patch.ts), so keys this
 * version does not know — a newer AuthBar's, a user's note — and everything else stay byte
 * for byte, and no default is written that the user never chose. Written atomically, 0600.
 * The app's settings window and `authbar hosts` both write through here.
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandResult } from '../../common/ipc-contract.js';
import { Settings, type SettingsPatch } from '../../common/settings.js';
import { AuthBarError, describeError } from './errors.js';
import { ensurePrivateDir, writeFileAtomic } from './fs/atomic.js';
import { setJsonKeys } from './fs/json-text-patch.js';
import { readSettings } from './settings.js';

/**
 * Sets the keys `patch` returns (given the settings in force) in the file. Throws an
 * AuthBarError: `config` for a broken file (reported, never overwritten) or a patch that would
 * make the settings invalid, `write-failed` when the text could not be updated in place.
 */
export async function patchSettingsFile(
  path: string,
  patchOf: SettingsPatch | ((current: Settings) => SettingsPatch),
): Promise<void> {
  const current = await readSettings(path);
  const patch = typeof patchOf === 'function' ? patchOf(current.settings) : patchOf;
  const next = Settings.safeParse({ ...current.settings, ...patch });
  if (!next.success) throw new AuthBarError('config', 'Those settings are not valid: nothing was saved.', path);
  const text = current.exists
    ? setJsonKeys(await fsp.readFile(path, 'utf8'), patch)
    : `${JSON.stringify(patch, null, 2)}\n`;
  // What the new text reads as must be what was validated: never write a file that says otherwise.
  const reread = Settings.safeParse(JSON.parse(text));
  if (!reread.success || JSON.stringify(reread.data) !== JSON.stringify(next.data))
    throw new AuthBarError('write-failed', `Could not update ${path} in place: nothing was saved.`, path);
  await ensurePrivateDir(dirname(path));
  await writeFileAtomic(path, text);
}

/** The window's `setSettings`: the same write, as the IPC result it answers with. */
export async function writeSettingsPatch(path: string, patch: SettingsPatch): Promise<CommandResult> {
  try {
    await patchSettingsFile(path, patch);
    return { ok: true, message: `Saved settings to ${path}.` };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}
