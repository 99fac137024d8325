/** OpenClaw's evidence on a host and its version, from files only (no JSON5, no SQLite: cheap). */
import { existsSync, readdirSync } from 'node:fs';
import { readRegularFile } from '../../fs/regular-file.js';
import { join } from 'node:path';
import { AGENT_DB_FILE, CONFIG_FILE } from './paths.js';

/** OpenClaw's own files in a state dir: its config, its state db, or an agent db. */
export function openClawEvidence(dir: string, configPath: string): string | null {
  if (existsSync(join(dir, 'state', 'openclaw.sqlite'))) return `${join(dir, 'state', 'openclaw.sqlite')} exists`;
  if (existsSync(configPath) && configPath.endsWith(CONFIG_FILE)) return `${configPath} exists`;
  if (existsSync(join(dir, CONFIG_FILE))) return `${join(dir, CONFIG_FILE)} exists`;
  try {
    for (const id of readdirSync(join(dir, 'agents'))) {
      const db = join(dir, 'agents', id, 'agent', AGENT_DB_FILE);
      if (existsSync(db)) return `${db} exists`;
    }
  } catch {
    // no agents dir
  }
  return null;
}

/** The version OpenClaw last wrote into its config: a regex, so detection needs no JSON5. */
export function openClawVersionFromConfig(configPath: string): string | null {
  try {
    // Non-blocking and capped: a FIFO in the config's place must not hang detection.
    const read = readRegularFile(configPath, 16 * 1024 * 1024);
    if (read.kind !== 'ok') return null;
    const text = read.bytes.toString('utf8');
    return /"?lastTouchedVersion"?\s*:\s*["']([^"']{1,40})["']/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}
