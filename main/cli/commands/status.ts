/** `authbar status`: every agent's profiles and their health; `--check` for cron and scripts. */
import { collect, type EngineDeps, type SyncMode } from '../../engine/engine.js';
import type { Snapshot } from '../../../common/snapshot.js';
import { resolveHost } from '../../engine/host.js';
import { gatewayLive } from '../../engine/gateways/registry.js';
import { jsonText, scrubDeep } from '../../engine/secrets/scrub.js';
import { numberOption, UsageError } from '../args.js';
import { defineCommand } from '../command.js';
import { SETTINGS_BOUNDS } from '../../../common/rules.js';
import { EXIT, type CliIO } from '../io.js';
import { agentsOption, warnUnknownSettings } from '../options.js';
import { headlineLevel, renderProblems, renderStatusPlain, renderStatusTable, statusRows } from '../render/status.js';
import { renderTokenAges } from '../render/tokens.js';
import { authbarVersion } from '../../engine/version.js';

/** `--warn-hours`: above 0, at most a year. */
const WARN_HOURS = { above: 0, atMost: SETTINGS_BOUNDS.warnHours.max, unit: SETTINGS_BOUNDS.warnHours.unit } as const;

export interface StatusOptions {
  sync: boolean;
  live: boolean;
  warnHours: number | undefined;
  agents: string[] | undefined;
}

/** This machine's snapshot, as \`authbar status\` shows it (synced first unless told not to). */
export async function localSnapshot(opts: StatusOptions, io: CliIO, deps: EngineDeps): Promise<Snapshot> {
  const sync: SyncMode = opts.sync ? 'apply' : 'skip';
  const host = await resolveHost(deps);
  warnUnknownSettings(host, io);
  const { snapshot } = await collect(host, {
    sync,
    ...(opts.agents ? { agents: opts.agents } : {}),
    ...(opts.warnHours !== undefined ? { warnMs: opts.warnHours * 3_600_000 } : {}),
  });
  if (opts.agents && snapshot.agents.length === 0)
    throw new UsageError(`no agent named ${opts.agents.join(', ')} under ${snapshot.stateDir}/agents`);
  if (opts.live) {
    snapshot.live = await gatewayLive()({
      env: host.env,
      platform: host.platform,
      settings: host.settings,
      snapshot,
      now: () => host.clock.now(),
      clientVersion: authbarVersion(),
      owner: 'cli',
    });
  }
  return snapshot;
}

/** \`--check\`'s exit code for one snapshot: the headline's level, or the gateway's own with --strict. */
export function checkCode(snapshot: Snapshot, strict: boolean): number {
  if (strict) return snapshot.overall.gatewayCheckCode;
  // The same level the table's headline shows: never better than a row.
  const attention = headlineLevel(snapshot.overall.attention, statusRows(snapshot));
  return attention === 'now' ? EXIT.now : attention === 'soon' ? EXIT.soon : EXIT.ok;
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: "show every agent's profiles and their health (syncs first)",
  usage: `usage: authbar status [--json | --plain] [--check [--strict]] [--warn-hours N] [--agent ID] [--no-sync] [--no-live]
       authbar status (--host NAME | --all-hosts) [--json | --plain] [--check [--strict]] [--no-sync] [--no-live]

Show every agent's profiles and their health. Copies Claude Code / Codex / Qwen logins into
the agents' stores first, as \`authbar sync\` does, unless --no-sync.

  --json          the whole snapshot as JSON
  --plain         one tab-separated line per profile, for scripts
  --check         exit 1 when something needs action now, 2 when soon, else 0; prints the
                  table only on a terminal
  --strict        with --check: the exit code the detected gateway's own
                  \`models status --check\` gives
  --warn-hours N  how far ahead "soon" reaches (above 0, at most ${WARN_HOURS.atMost})
  --agent ID      only these agents (a comma-separated list)
  --no-sync       read only: write no store
  --no-live       do not ask the running OpenClaw gateway for its own status and usage
                  (the exit code of --check never depends on it)
  --host NAME     a remote host's status instead (see \`authbar hosts\`), read over ssh
                  by its own AuthBar; with --check, a host AuthBar cannot read exits 1
  --all-hosts     this machine and every remote host, one section each (--json:
                  { this, hosts: [{ name, ssh, state, since, authbarVersion, snapshot }] });
                  --check exits with the worst of them`,
  options: {
    json: { type: 'boolean' },
    plain: { type: 'boolean' },
    check: { type: 'boolean' },
    strict: { type: 'boolean' },
    'warn-hours': { type: 'string' },
    agent: { type: 'string' },
    'no-sync': { type: 'boolean' },
    'no-live': { type: 'boolean' },
    host: { type: 'string' },
    'all-hosts': { type: 'boolean' },
  },
  async run({ values }, io, deps) {
    if (values.json && values.plain) throw new UsageError('--json and --plain exclude each other');
    if (values.strict && !values.check) throw new UsageError('--strict goes with --check');
    if (values.host !== undefined && values['all-hosts'])
      throw new UsageError('--host and --all-hosts exclude each other');
    const warnHours = numberOption('warn-hours', values['warn-hours'], WARN_HOURS);
    const agents = agentsOption(values.agent);
    // The running gateway's own view, beside the files' (OpenClaw): only where it is shown.
    const shown = values.json === true || (!values.plain && (!values.check || io.isTTY));
    const live = shown && !values['no-live'];
    const opts: StatusOptions = { sync: !values['no-sync'], live, warnHours, agents };
    if (values.host !== undefined || values['all-hosts']) {
      const { statusOfHosts } = await import('./status-hosts.js');
      return statusOfHosts(values.host ?? null, opts, values, io, deps);
    }
    const snapshot = await localSnapshot(opts, io, deps);

    if (values.json) {
      // The schema is the contract: what goes out is checked against it (loaded only here).
      const { Snapshot: SnapshotSchema } = await import('../../../common/snapshot.js');
      io.stdout(jsonText(scrubDeep(SnapshotSchema.parse(snapshot)), 2) + '\n');
    } else if (values.plain) io.stdout(renderStatusPlain(snapshot));
    else if (!values.check || io.isTTY)
      io.stdout(
        renderStatusTable(snapshot, { color: io.isTTY, ...(deps.env['HOME'] ? { home: deps.env['HOME'] } : {}) }) +
          renderTokenAges(snapshot),
      );
    io.stderr(renderProblems(snapshot));

    return values.check ? checkCode(snapshot, values.strict === true) : EXIT.ok;
  },
});
