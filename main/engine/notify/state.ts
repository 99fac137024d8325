/**
 * The notification policy's memory (what was notified when, snoozes, pause), kept in a small
 * JSON file of AuthBar's own beside its settings, so a restart does not notify again.
 */
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../fs/atomic.js';
import { readJsonFile, MiB } from '../fs/jsonfile.js';
import { emptyPolicyState, PolicyState } from './policy.js';
import { describeIssues } from '../schemas.js';

export const NOTIFY_STATE_FILE = 'notify-state.json';

/** `notify-state.json` in the settings file's directory. */
export function notifyStatePath(settingsPath: string): string {
  return join(dirname(settingsPath), NOTIFY_STATE_FILE);
}

export interface LoadedPolicyState {
  state: PolicyState;
  /** Set when a damaged file was moved aside: one sentence for the user. */
  warning: string | null;
}

/**
 * Reads the state; a missing file is a fresh start. A damaged one is only AuthBar's memory of
 * past notices: it is moved aside (kept, as `<name>.corrupt-<time>`) and the policy starts afresh.
 */
export async function loadPolicyState(path: string, now: number): Promise<LoadedPolicyState> {
  const read = await readJsonFile(path, {
    label: 'AuthBar notification state',
    remedy: 'it has been moved aside',
    maxBytes: 4 * MiB,
  });
  if (read.kind === 'missing') return { state: emptyPolicyState(), warning: null };
  let problem: string;
  if (read.kind === 'ok') {
    const parsed = PolicyState.safeParse(read.value);
    if (parsed.success) return { state: parsed.data, warning: null };
    problem = `does not have the expected shape (${describeIssues(parsed.error)})`;
  } else {
    problem = 'cannot be read';
  }
  const aside = `${path}.corrupt-${now}`;
  try {
    await fsp.rename(path, aside);
    return {
      state: emptyPolicyState(),
      warning: `The notification state ${path} ${problem}: moved it aside to ${aside} and started afresh (some notices may repeat once).`,
    };
  } catch {
    return {
      state: emptyPolicyState(),
      warning: `The notification state ${path} ${problem} and could not be moved aside: delete it; until then notices may repeat after a restart.`,
    };
  }
}

/** Writes the state atomically, 0600, creating AuthBar's config dir (0700) when needed. */
export async function savePolicyState(path: string, state: PolicyState): Promise<void> {
  await ensurePrivateDir(dirname(path));
  await writeFileAtomic(path, JSON.stringify(state) + '\n', 0o600);
}
