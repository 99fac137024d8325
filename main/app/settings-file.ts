/**
 * Applies a settings patch to AuthBar's settings file: validated against the whole settings,
 * then only the patched keys set in the file's own text (json-text-patch.ts), so keys this
 * version does not know — a newer AuthBar's, a user's note — and everything else stay byte
 * for byte, and no default is written that the user never chose. Written atomically, 0600.
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandResult } from '../../common/ipc-contract.js';
import { Settings, type SettingsPatch } from '../../common/settings.js';
import { describeError } from '../engine/errors.js';
import { ensurePrivateDir, writeFileAtomic } from '../engine/fs/atomic.js';
import { readSettings } from '../engine/settings.js';
import { setJsonKeys } from './json-text-patch.js';

export async function writeSettingsPatch(path: string, patch: SettingsPatch): Promise<CommandResult> {
  try {
    // A broken file is reported, never overwritten (readSettings throws on it).
    const current = await readSettings(path);
    const next = Settings.safeParse({ ...current.settings, ...patch });
    if (!next.success) return { ok: false, error: 'Those settings are not valid: nothing was saved.' };
    const text = current.exists
      ? setJsonKeys(await fsp.readFile(path, 'utf8'), patch)
      : `${JSON.stringify(patch, null, 2)}\n`;
    // What the new text reads as must be what was validated: never write a file that says otherwise.
    const reread = Settings.safeParse(JSON.parse(text));
    if (!reread.success || JSON.stringify(reread.data) !== JSON.stringify(next.data))
      return { ok: false, error: `Could not update ${path} in place: nothing was saved.` };
    await ensurePrivateDir(dirname(path));
    await writeFileAtomic(path, text);
    return { ok: true, message: `Saved settings to ${path}.` };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}
