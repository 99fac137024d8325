/**
 * The live view of an OpenClaw host that has no AuthBar: its config is read over the ssh
 * connection (`openclaw config file`, then the file; OpenClaw's `config get` redacts the token
 * and `gateway auth-token` prints it to a terminal only), the gateway's port and token are
 * taken from it and held in memory only, a free local port is forwarded to the gateway's
 * loopback port on the same multiplexed connection (`ssh -O forward`), and the existing live
 * client asks it (askLive), as it asks a local gateway. The forward is cancelled afterwards.
 */
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { HostEntry } from '../../../../../common/hosts.js';
import type { LiveView } from '../../../../../common/snapshot.js';
import type { OpenClawConfig } from '../config.js';
import { displayUrl, gatewayTarget } from './connection.js';
import { askLive, type LiveDeps } from './read-live.js';
import { pickDefaultAgent } from '../remote-cli.js';
import { sshControlDir, sshOptions } from '../../../hosts/ssh-command.js';
import { sshExec, type SshRun } from '../../../hosts/ssh-exec.js';
import { classifySshFailure, lastSshLine } from '../../../hosts/ssh-failure.js';
import { parseSshTarget, type SshTarget } from '../../../hosts/ssh-target.js';

export interface RemoteLiveDeps extends LiveDeps {
  /** Per ssh step (default 60 s: `openclaw` there starts Node, seconds on a busy host). */
  sshTimeoutMs?: number;
  /** The control sockets' dir (default: sshControlDir(env), as every AuthBar ssh run uses). */
  controlDir?: string;
  /** Stops between steps when aborted (the watch stopped, the host changed). */
  signal?: AbortSignal;
}

/**
 * Where each host's config is and its default agent: asking `openclaw` costs seconds of Node
 * start-up there, so it is asked again only after FOUND_TTL_MS (the config itself is read on
 * every question). Paths and agent ids only: no secret is kept here.
 */
interface Found {
  path: string;
  agentId: string | null;
  at: number;
}
const found = new Map<string, Found>();
const FOUND_TTL_MS = 10 * 60_000;

/** An absolute path as `openclaw config file` prints it; anything else is not used. */
const CONFIG_PATH = /^\/[^\0\r\n]{1,1024}$/;

function view(
  state: LiveView['state'],
  reasonCode: string | null,
  message: string,
  fix: string | null,
  at: number,
  url: string | null,
): LiveView {
  return {
    state,
    reasonCode,
    message,
    fix,
    checkedAt: at,
    gateway: url === null ? null : { url, version: null },
    providers: [],
    disagreements: [],
  };
}

/** A free loopback port here (the kernel's pick; a race with another program is retried once). */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Adds or cancels a forward on the host's shared connection (`ssh -O forward|cancel`). */
export function controlForward(
  target: SshTarget,
  controlDir: string,
  env: Record<string, string>,
  fwd: { localPort: number; remotePort: number },
  op: 'forward' | 'cancel',
  timeoutMs: number,
): Promise<{ ok: boolean; stderr: string }> {
  const argv = [...sshOptions(target, { controlDir, forwards: [fwd], extra: ['-O', op] }), '--', target.destination];
  return new Promise((resolve) => {
    execFile('ssh', argv, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 }, (err, _out, stderr) =>
      resolve({ ok: err === null, stderr: String(stderr) }),
    );
  });
}

/**
 * Whether anything listens on the host's loopback port, asked on the shared connection
 * (`ssh -W`): a forwarded port always accepts here, so only the host can say "nothing there".
 */
export function remotePortOpen(
  target: SshTarget,
  controlDir: string,
  env: Record<string, string>,
  port: number,
): Promise<boolean | null> {
  const argv = [...sshOptions(target, { controlDir, extra: ['-W', `127.0.0.1:${port}`] }), '--', target.destination];
  return new Promise((resolve) => {
    const child = spawn('ssh', argv, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-2000)));
    child.on('error', () => resolve(null));
    // Connected: the channel stays open until the gateway hangs up; that is the answer.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      resolve(true);
    }, 3_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(
        /open failed|connect failed|Connection refused|refused by peer|forwarding failed/i.test(stderr)
          ? false
          : code === 0
            ? true
            : null,
      );
    });
  });
}

/** The live view of `entry`'s OpenClaw gateway, asked through a port forwarded over ssh. Never throws. */
export async function remoteLive(entry: HostEntry, deps: RemoteLiveDeps): Promise<LiveView> {
  try {
    return await ask(entry, deps);
  } catch (err) {
    return view(
      'unavailable',
      'protocol',
      `AuthBar could not ask the gateway on ${entry.name}: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'}.`,
      null,
      deps.now(),
      null,
    );
  }
}

async function ask(entry: HostEntry, deps: RemoteLiveDeps): Promise<LiveView> {
  const target = parseSshTarget(entry.ssh);
  const controlDir = deps.controlDir ?? sshControlDir(deps.env);
  const timeoutMs = deps.sshTimeoutMs ?? 60_000;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(deps.env)) if (v !== undefined) env[k] = v;
  const run = (words: readonly string[]) => sshExec(target, words, { env, timeoutMs, controlDir });

  const key = `${entry.name}\n${entry.ssh}`;
  const known = found.get(key);
  const fresh = known !== undefined && deps.now() - known.at < FOUND_TTL_MS ? known : null;
  const file = fresh !== null ? null : await run(['openclaw', 'config', 'file']);
  if (file === null) return askAt(entry, deps, { target, controlDir, env, timeoutMs, run }, fresh as Found);
  if (file.code !== 0) {
    const f = classifySshFailure(target, entry.name, file, file.stderr, 'openclaw');
    const notOpenClaw = f.state === 'no-authbar';
    return view(
      notOpenClaw ? 'off' : 'unavailable',
      notOpenClaw ? 'not-openclaw' : 'protocol',
      notOpenClaw
        ? `${entry.name} has no \`openclaw\` on the PATH a non-interactive ssh session gets.`
        : `${f.message}.`,
      notOpenClaw ? null : f.fix,
      deps.now(),
      null,
    );
  }
  const path = file.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .pop();
  if (path === undefined || !CONFIG_PATH.test(path))
    return view(
      'unavailable',
      'protocol',
      `\`openclaw config file\` on ${entry.name} did not print a path.`,
      null,
      deps.now(),
      null,
    );
  const agents = await run(['openclaw', 'agents', 'list', '--json']);
  const now: Found = { path, agentId: pickDefaultAgent(agents.code === 0 ? agents.stdout : ''), at: deps.now() };
  found.set(key, now);
  return askAt(entry, deps, { target, controlDir, env, timeoutMs, run }, now);
}

interface Conn {
  target: SshTarget;
  controlDir: string;
  env: Record<string, string>;
  timeoutMs: number;
  run(words: readonly string[]): Promise<SshRun>;
}

/** Reads the config at the path found, forwards a port to the gateway and asks it. */
async function askAt(entry: HostEntry, deps: RemoteLiveDeps, c: Conn, at: Found): Promise<LiveView> {
  const { target, controlDir, env, timeoutMs, run } = c;
  const { path, agentId } = at;
  // Read each time: the port or token may have changed; the token is held for this question only.
  const text = await run(['cat', '--', path]);
  if (text.code === 255 || text.timedOutAfterS !== undefined) {
    const f = classifySshFailure(target, entry.name, text, text.stderr, 'cat');
    return view('unavailable', 'protocol', `${f.message}.`, f.fix, deps.now(), null);
  }
  let raw: Record<string, unknown> = {};
  if (text.code === 0 && !text.truncated) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.stdout);
    } catch {
      parsed = await import('json5').then((m) => m.default.parse(text.stdout) as unknown).catch(() => undefined);
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      raw = parsed as Record<string, unknown>;
  }
  const cfg: OpenClawConfig = { path, exists: text.code === 0, error: null, raw };
  // The gateway's own environment is not known from here: the config decides (as `openclaw` there would).
  const gw = gatewayTarget(cfg, {});
  const remoteUrl = displayUrl(gw.url);
  if (gw.remote)
    return view(
      'off',
      'not-openclaw',
      `OpenClaw on ${entry.name} is a client of another gateway (${remoteUrl}): add that gateway's host instead.`,
      null,
      deps.now(),
      remoteUrl,
    );
  const remotePort = Number(new URL(gw.url).port || '18789');

  // Nothing is forwarded for a question nobody waits for any more.
  if (deps.signal?.aborted) throw new Error('the question was withdrawn');
  let fwd = { localPort: await freeLocalPort(), remotePort };
  let added = await controlForward(target, controlDir, env, fwd, 'forward', timeoutMs);
  if (!added.ok) {
    fwd = { localPort: await freeLocalPort(), remotePort };
    added = await controlForward(target, controlDir, env, fwd, 'forward', timeoutMs);
  }
  const where = `${remoteUrl} on ${entry.name}`;
  if (!added.ok)
    return view(
      'unavailable',
      'protocol',
      `AuthBar could not forward a port to the gateway ${where} over ssh (${lastSshLine(added.stderr) || 'no reason given'}).`,
      `check that ${entry.name}'s sshd allows TCP forwarding (AllowTcpForwarding)`,
      deps.now(),
      remoteUrl,
    );
  try {
    const localUrl = `${gw.url.startsWith('wss:') ? 'wss' : 'ws'}://127.0.0.1:${fwd.localPort}/`;
    const live = await askLive({ ...gw, url: localUrl }, agentId, null, {
      ...deps,
      deviceKey: `${gw.url.startsWith('wss:') ? 'wss' : 'ws'}://ssh-${entry.name}.invalid:${remotePort}/`,
    });
    if (live.state === 'unavailable' && live.reasonCode === 'protocol' && live.gateway?.version === null) {
      // No handshake through the forward: nothing may listen at the far end at all.
      if ((await remotePortOpen(target, controlDir, env, remotePort)) === false)
        return view(
          'not-running',
          null,
          `AuthBar found no gateway at ${where}: nothing listens on that port there.`,
          `start it on ${entry.name}: \`openclaw gateway run\`, or \`openclaw gateway restart\` where it runs as a service`,
          deps.now(),
          where,
        );
    }
    // Say where the gateway really is, not the forwarded port.
    const local = displayUrl(localUrl);
    const swap = (t: string | null) => (t === null ? null : t.split(local).join(where));
    return {
      ...live,
      message: swap(live.message),
      fix: swap(live.fix),
      gateway: live.gateway === null ? null : { ...live.gateway, url: where },
    };
  } finally {
    await controlForward(target, controlDir, env, fwd, 'cancel', timeoutMs);
  }
}
