/**
 * `authbar status --host NAME` and `--all-hosts`: a remote host's status as its own AuthBar
 * gives it over ssh (engine/hosts/remote-status.ts), shown with the same renderers as this
 * machine's, each section headed by its host. A host AuthBar could not read is never healthy:
 * `--check` counts it as action needed now (exit 1), whatever its last state was.
 */
import { LOCAL_HOST_NAME, type AllHostsReport, type HostReport } from '../../../common/hosts.js';
import type { EngineDeps } from '../../engine/engine.js';
import { remoteStatus, type RemoteStatusFlags } from '../../engine/hosts/remote-status.js';
import { systemClock } from '../../engine/ports.js';
import { forTerminal, jsonText, scrubDeep } from '../../engine/secrets/scrub.js';
import { authbarVersion } from '../../engine/version.js';
import { UsageError } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { renderHostHeading, stateText } from '../render/hosts.js';
import { renderProblems, renderStatusPlain, renderStatusTable } from '../render/status.js';
import { renderTokenAges } from '../render/tokens.js';
import { hostRenewText, hostRenewWords } from '../../../common/host-renew.js';
import { viewerOnly } from '../../../common/host-status.js';
import { findHost } from './hosts.js';
import { checkCode, localSnapshot, type StatusOptions } from './status.js';

interface Flags {
  json?: boolean | undefined;
  plain?: boolean | undefined;
  check?: boolean | undefined;
  strict?: boolean | undefined;
}

/** How bad an exit code of --check is: now (1) over soon (2) over fine (0). */
const severity = (code: number) => (code === EXIT.now ? 2 : code === EXIT.soon ? 1 : 0);

/** --check's exit code for one host: one that was not read is never healthy. */
export function hostCheckCode(r: HostReport, strict: boolean): number {
  return r.state !== 'ok' || r.snapshot === null ? EXIT.now : checkCode(r.snapshot, strict);
}

export function worstCode(codes: readonly number[]): number {
  return codes.reduce((worst, c) => (severity(c) > severity(worst) ? c : worst), EXIT.ok);
}

export async function statusOfHosts(
  name: string | null,
  opts: StatusOptions,
  flags: Flags,
  io: CliIO,
  deps: EngineDeps,
): Promise<number> {
  const clock = deps.clock ?? systemClock;
  const remoteFlags: RemoteStatusFlags = {
    sync: opts.sync,
    live: opts.live,
    clock,
    ...(opts.warnHours !== undefined ? { warnHours: opts.warnHours } : {}),
    ...(opts.agents ? { agents: opts.agents } : {}),
  };
  let reports: HostReport[];
  // This machine has no gateway and only watches the hosts (--all-hosts): it is not judged.
  let viewer = false;
  if (name !== null) {
    reports = [await remoteStatus(await findHost(deps, name), deps.env, remoteFlags)];
  } else {
    // An agent id names one machine's agent: asking every host for it would fail on most.
    if (opts.agents) throw new UsageError('--agent goes with one machine: use it alone or with --host NAME');
    const { resolvePaths } = await import('../../engine/paths.js');
    const { readSettings } = await import('../../engine/settings.js');
    const hosts = (await readSettings(resolvePaths(deps.env).settings)).settings.hosts;
    // Every host at once: each has its own ssh connection and deadline.
    const [local, ...remote] = await Promise.all([
      localSnapshot(opts, io, deps),
      ...hosts.map((h) => remoteStatus(h, deps.env, remoteFlags)),
    ]);
    const now = clock.now();
    const self: HostReport = {
      name: LOCAL_HOST_NAME,
      ssh: null,
      state: 'ok',
      since: now,
      lastSeenAt: now,
      authbarVersion: authbarVersion(),
      message: null,
      fix: null,
      snapshot: local,
    };
    reports = [self, ...(remote as HostReport[])];
    viewer = viewerOnly(local, hosts.length);
  }

  if (flags.json) {
    const { AllHostsReport: AllSchema, HostReport: HostSchema } = await import('../../../common/hosts.js');
    const out: AllHostsReport | HostReport =
      name === null ? AllSchema.parse({ this: LOCAL_HOST_NAME, hosts: reports }) : HostSchema.parse(reports[0]);
    io.stdout(jsonText(scrubDeep(out), 2) + '\n');
  } else if (flags.plain) {
    io.stdout(reports.map((r) => plainOf(r, name === null)).join(''));
  } else if (!flags.check || io.isTTY) {
    const sections = reports.map((r) => {
      // `~/…` only for this machine's paths: a host's home is its own.
      const home = r.ssh === null ? deps.env['HOME'] : undefined;
      const style = { color: io.isTTY, ...(home ? { home } : {}) };
      if (r.ssh === null && viewer)
        return `== this machine: no gateway here ==\n  AuthBar found no gateway state on this machine: only the hosts below are judged.\n`;
      if (!r.snapshot) return renderHostHeading(r, clock.now(), style);
      // The token section's renew command is made here for a host, never taken from its text.
      const ages = renderTokenAges(r.snapshot, r.ssh === null ? undefined : (id) => hostRenewWords(r.name, id));
      return renderHostHeading(r, clock.now(), style) + forHost(r, renderStatusTable(r.snapshot, style)) + ages;
    });
    io.stdout(sections.join('\n'));
  }
  for (const r of reports) {
    if (r.snapshot && !(r.ssh === null && viewer)) io.stderr(prefixed(r, forHost(r, renderProblems(r.snapshot))));
    // Where no heading was printed, a host that was not read is still said on stderr.
    const headed = !flags.json && !flags.plain && (!flags.check || io.isTTY);
    if (!headed && r.state !== 'ok')
      io.stderr(
        `authbar: ${forTerminal(r.name)}: ${stateText(r, clock.now())}: ${forTerminal(r.message ?? '')}${r.fix ? ` (fix: ${forTerminal(r.fix)})` : ''}\n`,
      );
  }
  if (!flags.check) return EXIT.ok;
  return worstCode(reports.map((r) => (r.ssh === null && viewer ? EXIT.ok : hostCheckCode(r, flags.strict === true))));
}

/** `--plain` lines, each prefixed with its host's name under --all-hosts. */
function plainOf(r: HostReport, withHost: boolean): string {
  if (!r.snapshot) return '';
  const text = renderStatusPlain(r.snapshot);
  return withHost ? text.replace(/^(?=.)/gm, `${forTerminal(r.name)}\t`) : text;
}

/** A remote host's problem lines name it (this machine's stay as they are). */
function prefixed(r: HostReport, text: string): string {
  return r.ssh === null || text === '' ? text : text.replace(/^authbar: /gm, `authbar: ${forTerminal(r.name)}: `);
}

/**
 * A host's own words aimed at this machine: its `authbar setup-token` becomes `--host NAME`
 * (run here, it would renew this machine's gateway) and any other command says it runs there.
 */
function forHost(r: HostReport, text: string): string {
  if (r.ssh === null) return text;
  return text
    .split('\n')
    .map((line) => hostRenewText(line, r.name))
    .join('\n');
}
