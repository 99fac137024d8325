/** Applies a settings patch to AuthBar's settings file: merged, validated, written atomically 0600. */
import { dirname } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../engine/fs/atomic.js';
import { describeError } from '../engine/errors.js';
import { readSettings, Settings } from '../engine/settings.js';
import type { CommandResult } from '../../common/ipc-contract.js';
import type { SettingsPatch } from '../../common/settings.js';

export async function writeSettingsPatch(path: string, patch: SettingsPatch): Promise<CommandResult> {
  try {
    // A broken file is reported, never overwritten (readSettings throws on it).
    const current = await readSettings(path);
    const next = Settings.safeParse({ ...current.settings, ...patch });
    if (!next.success) return { ok: false, error: 'Those settings are not valid: nothing was saved.' };
    await ensurePrivateDir(dirname(path));
    await writeFileAtomic(path, `${JSON.stringify(next.data, null, 2)}\n`);
    return { ok: true, message: `Saved settings to ${path}.` };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}
