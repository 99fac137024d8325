/** Option readers and checks that more than one command shares. */
import type { Host } from '../engine/host.js';
import { forTerminal } from '../engine/secrets/scrub.js';
import { DEFAULT_SETTINGS } from '../engine/settings.js';
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
export function warnUnknownSettings(host: Host, io: CliIO): void {
  // A broken file is reported by the command itself.
  if (host.settingsRead.kind !== 'ok') return;
  const path = host.paths.settings;
  for (const key of host.settingsRead.read.unknownKeys)
    io.stderr(
      `authbar: warning: ${forTerminal(path)} has a key AuthBar does not know, ${forTerminal(JSON.stringify(key))}, which is ignored: check its spelling (known: ${Object.keys(DEFAULT_SETTINGS).join(', ')}).\n`,
    );
}
