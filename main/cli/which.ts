/** Finding a program on PATH (absolute directories only, as the shell would not run a relative one from cron). */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Env } from '../engine/ports.js';

/** The first executable file called `name` in PATH's absolute directories; null when there is none. */
export function findOnPath(name: string, env: Env): string | null {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return null;
}
