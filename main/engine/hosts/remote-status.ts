/**
 * One look at a remote host (`authbar status --host`, `--all-hosts`, `hosts test`): over the
 * system's ssh, `authbar --version`, then `authbar status --json` on the host, its snapshot
 * parsed with the same schema the local one obeys. Everything the host sends is untrusted:
 * sizes capped, parsed with zod, secrets masked; the front ends show its strings escaped.
 * Nothing it sends is ever run. The two runs share one multiplexed connection (ssh-command.ts).
 */
import type { HostEntry, HostReport } from '../../../common/hosts.js';
import { Snapshot } from '../../../common/snapshot.js';
import type { Clock, Env } from '../ports.js';
import { systemClock } from '../ports.js';
import { scrubDeep, scrubSecrets } from '../secrets/scrub.js';
import { authbarVersion } from '../version.js';
import { sshControlDir } from './ssh-command.js';
import { sshExec, type SshExecOptions, type SshRun } from './ssh-exec.js';
import { classifySshFailure, lastSshLine } from './ssh-failure.js';
import { interactiveSshCommand, parseSshTarget, type SshTarget } from './ssh-target.js';

/** A status bigger than this is not one AuthBar reads (a real one is tens of kB). */
export const MAX_REMOTE_STATUS_BYTES = 4 * 1024 * 1024;
/** `authbar --version` answers at once; the connection itself is bounded by ConnectTimeout. */
export const VERSION_TIMEOUT_MS = 30_000;
/** A status may sync stores and ask the gateway's own CLI (which can take a minute under OpenClaw). */
export const STATUS_TIMEOUT_MS = 150_000;

export interface RemoteStatusFlags {
  /** False: `--no-sync` on the host (read only). */
  sync: boolean;
  /** False: `--no-live` on the host (do not ask its running gateway). */
  live: boolean;
  warnHours?: number;
  agents?: readonly string[];
  clock?: Clock;
  /** For tests: the `ssh` program and shorter deadlines. */
  ssh?: string;
  versionTimeoutMs?: number;
  statusTimeoutMs?: number;
}

/** `authbar 0.1.0` as `authbar --version` prints it; anything else is not an AuthBar that answers. */
const VERSION_LINE = /^authbar ([0-9A-Za-z.+-]{1,40})\r?\n?$/;

/**
 * Whether the host's AuthBar and this one read each other's status: the same major version
 * (the same minor while below 1.0, where a minor may change the schema). A version that is
 * not a release number (a development build) is judged by its snapshot alone.
 */
export function versionsCompatible(local: string, remote: string): boolean {
  const parse = (v: string) => /^(\d+)\.(\d+)\.\d+/.exec(v);
  const a = parse(local);
  const b = parse(remote);
  if (!a || !b) return true;
  if (a[1] !== b[1]) return false;
  return a[1] !== '0' || a[2] === b[2];
}

/** The words run on the host for its status, built from typed flags only (never from host data). */
export function remoteStatusWords(program: string, flags: RemoteStatusFlags): string[] {
  return [
    program,
    'status',
    '--json',
    ...(flags.sync ? [] : ['--no-sync']),
    ...(flags.live ? [] : ['--no-live']),
    ...(flags.warnHours !== undefined ? ['--warn-hours', String(flags.warnHours)] : []),
    ...(flags.agents && flags.agents.length > 0 ? ['--agent', flags.agents.join(',')] : []),
  ];
}

function failedReport(
  entry: HostEntry,
  now: number,
  state: HostReport['state'],
  message: string,
  fix: string | null,
  version: string | null,
): HostReport {
  return {
    name: entry.name,
    ssh: entry.ssh,
    state,
    since: now,
    lastSeenAt: null,
    authbarVersion: version,
    // ssh's and the host's own lines may carry anything: secrets masked here, for every front end.
    message: scrubSecrets(message),
    fix,
    snapshot: null,
  };
}

/** A run that failed: ssh's own failure (255), no such program (127), or the remote command's. */
function runFailure(
  entry: HostEntry,
  target: SshTarget,
  program: string,
  run: SshRun,
  now: number,
  version: string | null,
): HostReport {
  // AuthBar answered --version but gave no status (a broken settings file on the host, a wrong
  // --agent): the host is reachable; say what it said (the front end shows it escaped).
  if (version !== null && run.code !== 255 && run.code !== null && run.timedOutAfterS === undefined) {
    const said = lastSshLine(run.stderr);
    return failedReport(
      entry,
      now,
      'unreachable',
      `AuthBar on ${entry.name} could not give its status (exit code ${String(run.code)})${said ? `: ${said}` : ''}`,
      `${interactiveSshCommand(target)} ${program} status   (to see it there)`,
      version,
    );
  }
  const f = classifySshFailure(target, entry.name, run, run.stderr, program);
  return failedReport(entry, now, f.state, f.message, f.fix, version);
}

export async function remoteStatus(entry: HostEntry, env: Env, flags: RemoteStatusFlags): Promise<HostReport> {
  const clock = flags.clock ?? systemClock;
  const target = parseSshTarget(entry.ssh);
  const program = entry.authbar ?? 'authbar';
  const base: Omit<SshExecOptions, 'timeoutMs'> = {
    env,
    controlDir: sshControlDir(env),
    batch: true,
    ...(flags.ssh ? { ssh: flags.ssh } : {}),
  };

  const v = await sshExec(target, [program, '--version'], {
    ...base,
    timeoutMs: flags.versionTimeoutMs ?? VERSION_TIMEOUT_MS,
  });
  if (v.code !== 0 || v.timedOutAfterS !== undefined) return runFailure(entry, target, program, v, clock.now(), null);
  const m = VERSION_LINE.exec(v.stdout);
  const local = authbarVersion();
  if (!m)
    return failedReport(
      entry,
      clock.now(),
      'incompatible',
      `\`${program}\` on ${entry.name} did not answer --version as AuthBar does: it is not AuthBar, or one too old to be watched`,
      `install AuthBar ${local} on ${entry.name}, or give its path with \`authbar hosts add ${entry.name} ${entry.ssh} --authbar PATH\``,
      null,
    );
  const version = m[1] as string;
  const update = `update the older AuthBar (this machine has ${local}, ${entry.name} has ${version})`;
  if (!versionsCompatible(local, version))
    return failedReport(
      entry,
      clock.now(),
      'incompatible',
      `AuthBar ${version} on ${entry.name} and ${local} here do not read each other's status`,
      update,
      version,
    );

  const s = await sshExec(target, remoteStatusWords(program, flags), {
    ...base,
    timeoutMs: flags.statusTimeoutMs ?? STATUS_TIMEOUT_MS,
  });
  const now = clock.now();
  if (s.code !== 0 || s.timedOutAfterS !== undefined) return runFailure(entry, target, program, s, now, version);
  if (s.truncated || Buffer.byteLength(s.stdout) > MAX_REMOTE_STATUS_BYTES)
    return failedReport(
      entry,
      now,
      'incompatible',
      `${entry.name} sent a status larger than ${MAX_REMOTE_STATUS_BYTES / 1024 / 1024} MiB, which AuthBar does not read`,
      null,
      version,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(s.stdout);
  } catch {
    raw = undefined;
  }
  const parsed = Snapshot.safeParse(raw);
  if (!parsed.success)
    return failedReport(
      entry,
      now,
      'incompatible',
      `AuthBar ${version} on ${entry.name} sent a status that AuthBar ${local} cannot read`,
      update,
      version,
    );
  return {
    name: entry.name,
    ssh: entry.ssh,
    state: 'ok',
    since: now,
    lastSeenAt: now,
    authbarVersion: version,
    message: null,
    fix: null,
    // A fake secret in a host's file names is masked like a local one.
    snapshot: scrubDeep(parsed.data),
  };
}

/** `OpenClaw 2026.9.6 (eb377ac)` / `2026.1.24-3`: the first line a gateway CLI's --version prints. */
const GATEWAY_VERSION = /^(?:OpenClaw |Clawdbot )?(\d{4}\.\d{1,2}\.\d{1,2}(?:-\d{1,4})?)(?: \([0-9a-f]{7,40}\))?\r?\n/;

/** The gateway CLIs asked about on a host without AuthBar: fixed words, never a name the host sent. */
const GATEWAY_CLIS = [
  { cli: 'openclaw', name: 'OpenClaw' },
  { cli: 'clawdbot', name: 'Clawdbot' },
] as const;

/**
 * On a host without AuthBar: which gateway is there, and its version (`openclaw --version`,
 * then `clawdbot --version`, over the same shared connection). Null when neither answers as
 * a gateway does; only a version matching GATEWAY_VERSION is kept.
 */
export async function remoteGatewayVersion(
  entry: HostEntry,
  env: Env,
  opts: { ssh?: string; timeoutMs?: number } = {},
): Promise<{ name: string; version: string } | null> {
  const target = parseSshTarget(entry.ssh);
  for (const g of GATEWAY_CLIS) {
    const r = await sshExec(target, [g.cli, '--version'], {
      env,
      controlDir: sshControlDir(env),
      batch: true,
      timeoutMs: opts.timeoutMs ?? 60_000,
      ...(opts.ssh ? { ssh: opts.ssh } : {}),
    });
    const m = r.code === 0 ? GATEWAY_VERSION.exec(r.stdout) : null;
    if (m) return { name: g.name, version: m[1] as string };
  }
  return null;
}
