/** Clawdbot's evidence on a host, from files only (detection runs on every `status --check`). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Clawdbot 2026.1's files in a real (not migrated) state dir. */
export function clawdbotEvidence(dir: string): string | null {
  if (existsSync(join(dir, 'clawdbot.json'))) return `${join(dir, 'clawdbot.json')} exists`;
  if (existsSync(join(dir, 'agent', 'auth-profiles.json'))) return `${join(dir, 'agent', 'auth-profiles.json')} exists`;
  try {
    for (const id of readdirSync(join(dir, 'agents'))) {
      const store = join(dir, 'agents', id, 'agent', 'auth-profiles.json');
      if (existsSync(store)) return `${store} exists`;
    }
  } catch {
    // no agents dir
  }
  return null;
}
