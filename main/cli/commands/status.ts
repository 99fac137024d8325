/** `authbar status`: every agent's profiles and their health; `--check` for cron and scripts. */
import { collect, type SyncMode } from '../../engine/engine.js';
import { resolveHost } from '../../engine/host.js';
import { gatewayLive } from '../../engine/gateways/registry.js';
import { jsonText, scrubDeep } from '../../engine/secrets/scrub.js';
import { numberOption, UsageError } from '../args.js';
import { defineCommand } from '../command.js';
import { SETTINGS_BOUNDS } from '../../../common/rules.js';
import { EXIT } from '../io.js';
import { agentsOption, warnUnknownSettings } from '../options.js';
import { headlineLevel, renderProblems, renderStatusPlain, renderStatusTable, statusRows } from '../render/status.js';
import { renderTokenAges } from '../render/tokens.js';
import { authbarVersion } from '../../engine/version.js';

/** `--warn-hours`: above 0, at most a year. */
const WARN_HOURS = { above: 0, atMost: SETTINGS_BOUNDS.warnHours.max, unit: SETTINGS_BOUNDS.warnHours.unit } as const;

export const statusCommand = defineCommand({
  name: 'status',
  summary: "show every agent's profiles and their health (syncs first)",
  usage: `usage: authbar status [--json | --plain] [--check [--strict]] [--warn-hours N] [--agent ID] [--no-sync] [--no-live]

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
                  (the exit code of --check never depends on it)`,
  options: {
    json: { type: 'boolean' },
    plain: { type: 'boolean' },
    check: { type: 'boolean' },
    strict: { type: 'boolean' },
    'warn-hours': { type: 'string' },
    agent: { type: 'string' },
    'no-sync': { type: 'boolean' },
    'no-live': { type: 'boolean' },
  },
  async run({ values }, io, deps) {
    if (values.json && values.plain) throw new UsageError('--json and --plain exclude each other');
    if (values.strict && !values.check) throw new UsageError('--strict goes with --check');
    const warnHours = numberOption('warn-hours', values['warn-hours'], WARN_HOURS);
    const agents = agentsOption(values.agent);
    const sync: SyncMode = values['no-sync'] ? 'skip' : 'apply';
    const host = await resolveHost(deps);
    warnUnknownSettings(host, io);
    const { snapshot } = await collect(host, {
      sync,
      ...(agents ? { agents } : {}),
      ...(warnHours !== undefined ? { warnMs: warnHours * 3_600_000 } : {}),
    });
    if (agents && snapshot.agents.length === 0)
      throw new UsageError(`no agent named ${agents.join(', ')} under ${snapshot.stateDir}/agents`);

    // The running gateway's own view, beside the files' (OpenClaw): only where it is shown.
    const shown = values.json || (!values.plain && (!values.check || io.isTTY));
    if (shown && !values['no-live']) {
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

    if (!values.check) return EXIT.ok;
    if (values.strict) return snapshot.overall.gatewayCheckCode;
    // The same level the table's headline shows: never better than a row.
    const attention = headlineLevel(snapshot.overall.attention, statusRows(snapshot));
    return attention === 'now' ? EXIT.now : attention === 'soon' ? EXIT.soon : EXIT.ok;
  },
});
