/** OpenClaw's evidence on a host and its version, from files only (no JSON5, no SQLite: cheap). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
    const text = readFileSync(configPath, 'utf8');
    return /"?lastTouchedVersion"?\s*:\s*["']([^"']{1,40})["']/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}
