/** Option readers and checks that more than one command shares. */
import type { EngineDeps } from '../engine/engine.js';
import { resolvePaths } from '../engine/paths.js';
import { forTerminal } from '../engine/secrets/scrub.js';
import { DEFAULT_SETTINGS, readSettings } from '../engine/settings.js';
import { UsageError } from './args.js';
import type { CliIO } from './io.js';

/** `--agent a,b`: every id named must exist (checked by the engine); blank or only commas is a usage error. */
export function agentsOption(agent: string | undefined): string[] | undefined {
  if (agent === undefined) return undefined;
  const ids = agent.split(',').map((s) => s.trim());
  if (ids.every((id) => id === ''))
    throw new UsageError('--agent needs at least one agent id (e.g. --agent main or --agent main,work)');
  if (ids.some((id) => id === ''))
    throw new UsageError(`--agent "${forTerminal(agent)}" has an empty agent id between commas`);
  return [...new Set(ids)];
}

/** Unknown keys in the settings file: a warning, not an error (a newer AuthBar's keys must not break this one). */
export async function warnUnknownSettings(deps: EngineDeps, io: CliIO): Promise<void> {
  const path = resolvePaths(deps.env).settings;
  const read = await readSettings(path).catch(() => null); // a broken file is reported by the command itself
  for (const key of read?.unknownKeys ?? [])
    io.stderr(
      `authbar: warning: ${forTerminal(path)} has a key AuthBar does not know, ${forTerminal(JSON.stringify(key))}, which is ignored: check its spelling (known: ${Object.keys(DEFAULT_SETTINGS).join(', ')}).\n`,
    );
}
