/** Option readers and checks that more than one command shares. */
import { parseDuration } from '../../common/token-rules.js';
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

/** The longest `--expires-in` AuthBar takes. */
const MAX_EXPIRES_IN_DAYS = 3650;

/** `--expires-in 365d`, in ms. */
export function expiresInOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === null || ms > MAX_EXPIRES_IN_DAYS * 86_400_000)
    throw new UsageError(
      `--expires-in must be a duration such as 365d, 12h or 90m, at most ${MAX_EXPIRES_IN_DAYS}d (ten years)`,
    );
  return ms;
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
