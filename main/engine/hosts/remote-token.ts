/**
 * Renewing a remote host's token (`authbar setup-token --host NAME`): find out what the host
 * can take before a token is minted (its AuthBar, else its OpenClaw), send the token on the ssh
 * connection's stdin (never on a command line, in a file or in the environment), then read the
 * host's status back and say whether it took. Everything the host prints is untrusted: parsed
 * with zod, capped, and the token masked wherever it might echo; the CLI escapes it on show.
 */
import type { HostEntry, HostState } from '../../../common/hosts.js';
import { Snapshot } from '../../../common/snapshot.js';
import type { Env } from '../ports.js';
import { fingerprint, maskSecret } from '../secrets/mask.js';
import { sshControlDir } from './ssh-command.js';
import { sshExec, type SshRun } from './ssh-exec.js';
import { classifySshFailure, INSTALL_AUTHBAR, lastSshLine } from './ssh-failure.js';
import { parseSshTarget, type SshTarget } from './ssh-target.js';
import { openClawRemoteCli } from '../gateways/registry.js';

/** A remote `authbar` or `openclaw` that starts Node and a gateway CLI may take a while. */
export const REMOTE_STEP_TIMEOUT_MS = 120_000;
/** EX_UNAVAILABLE from a remote `authbar token add`: the host has no usable OS keyring. */
const EXIT_NO_KEYRING = 69;

export interface RemoteTokenDeps {
  env: Env;
  timeoutMs?: number;
}

/** What a host can take a token with, found before one is minted. */
export type HostProbe =
  | { ok: true; via: 'authbar'; program: string; version: string }
  /** No AuthBar there: the gateway's own CLI (OpenClaw's paste-token) takes it. */
  | { ok: true; via: 'gateway-cli'; agent: string; openclawVersion: string | null }
  | { ok: false; state: HostState | 'no-gateway' | 'clawdbot'; message: string; fix: string | null };

/** Whether the host's own status shows the token: yes, no, or could not tell (null). */
export interface TookCheck {
  took: boolean | null;
  /** One sentence from ids, statuses and dates only (the host's text is not quoted here). */
  detail: string;
}

export type RemoteTokenResult =
  | {
      ok: true;
      via: 'authbar' | 'gateway-cli';
      profileId: string;
      /** `kept`: in the host's OS keyring; `no-keyring`: the host has none, landed only. */
      vault: 'kept' | 'not-asked' | 'no-keyring';
      /** The host's reason for having no keyring (cleaned, capped), when vault is no-keyring. */
      keyringReason: string | null;
      /** What the host printed (cleaned, capped, the token masked): show escaped. */
      output: string;
      took: TookCheck;
    }
  | { ok: false; state: HostState | null; message: string; fix: string | null; output: string };

/** A version word as AuthBar and OpenClaw print them (`authbar 0.9.0`, `OpenClaw 2026.9.6 (…)`). */
const VERSION = /\b(\d{1,6}\.\d{1,6}\.\d{1,6}(?:[-+][0-9A-Za-z.-]{1,40})?)\b/;

/** The host's text as AuthBar may keep it: the token masked, at most `max` characters. */
export function cleanRemote(text: string, secret: string | null, max = 2_000): string {
  const masked = secret !== null && secret !== '' ? text.split(secret).join(maskSecret(secret)) : text;
  return masked.length > max ? `${masked.slice(0, max)}…` : masked;
}

interface Conn {
  target: SshTarget;
  name: string;
  run(words: readonly string[], input?: string): Promise<SshRun>;
}

function connect(entry: HostEntry, deps: RemoteTokenDeps): Conn {
  const target = parseSshTarget(entry.ssh);
  const controlDir = sshControlDir(deps.env);
  const timeoutMs = deps.timeoutMs ?? REMOTE_STEP_TIMEOUT_MS;
  return {
    target,
    name: entry.name,
    run: (words, input) =>
      sshExec(target, words, { env: deps.env, timeoutMs, controlDir, ...(input !== undefined ? { input } : {}) }),
  };
}

function versionIn(stdout: string): string | null {
  return VERSION.exec(stdout.slice(0, 500))?.[1] ?? null;
}

/** What the host has to take a token with: AuthBar first, else OpenClaw (Clawdbot: said why not). */
export async function probeHost(entry: HostEntry, deps: RemoteTokenDeps): Promise<HostProbe> {
  const c = connect(entry, deps);
  const program = entry.authbar ?? 'authbar';
  const ab = await c.run([program, '--version']);
  const abVersion = ab.code === 0 ? versionIn(ab.stdout) : null;
  if (abVersion !== null) return { ok: true, via: 'authbar', program, version: abVersion };
  if (ab.code === 0)
    return {
      ok: false,
      state: 'incompatible',
      message: `\`${program} --version\` on ${c.name} answered, but not with a version as AuthBar prints it`,
      fix: `check what \`${program}\` is on ${c.name}; update AuthBar there`,
    };
  const failure = classifySshFailure(c.target, c.name, ab, ab.stderr, program);
  if (ab.code !== 0 && failure.state !== 'no-authbar') return { ok: false, ...failure };
  if (entry.authbar !== undefined)
    // The user named a program there: it is that one or nothing, never a guess at another.
    return { ok: false, state: 'no-authbar', message: failure.message, fix: failure.fix };
  const oc = await c.run(['openclaw', '--version']);
  if (oc.code === 0) {
    const agents = await c.run(['openclaw', 'agents', 'list', '--json']);
    const agent = (await openClawRemoteCli()).pickDefaultAgent(agents.code === 0 ? agents.stdout : '');
    return { ok: true, via: 'gateway-cli', agent: agent ?? 'main', openclawVersion: versionIn(oc.stdout) };
  }
  const cb = await c.run(['clawdbot', '--version']);
  if (cb.code === 0)
    return {
      ok: false,
      state: 'clawdbot',
      message: `${c.name} runs Clawdbot without AuthBar: Clawdbot's own paste-token cannot take a token sent over ssh (without a terminal it stores nothing), so nothing was sent`,
      fix: `${INSTALL_AUTHBAR}; then run \`authbar setup-token --host ${c.name}\` again`,
    };
  return {
    ok: false,
    state: 'no-gateway',
    message: `${c.name} has neither \`${program}\` nor \`openclaw\` on the PATH a non-interactive ssh session gets, so there is nothing there to take the token`,
    fix: INSTALL_AUTHBAR,
  };
}

export interface SendRequest {
  secret: string;
  provider: string;
  /** Default: `<provider>:setup-token`, as a local `authbar token add` of a setup token names it. */
  profileId: string | undefined;
  /** The remote CLI's duration word (`365d`, `525600m`). */
  expiresIn: string;
  noVault: boolean;
}

/** Sends the token to what probeHost found, then reads the host's status back. */
export async function sendTokenToHost(
  entry: HostEntry,
  probe: Extract<HostProbe, { ok: true }>,
  req: SendRequest,
  deps: RemoteTokenDeps,
): Promise<RemoteTokenResult> {
  const c = connect(entry, deps);
  const profileId = req.profileId ?? `${req.provider}:setup-token`;
  const input = `${req.secret}\n`;
  const clean = (t: string) => cleanRemote(t, req.secret);
  const failed = (run: SshRun, what: string): RemoteTokenResult => {
    const output = clean(`${run.stdout}\n${run.stderr}`.trim());
    if (run.code === 255 || run.timedOutAfterS !== undefined) {
      const f = classifySshFailure(c.target, c.name, run, run.stderr, what);
      return { ok: false, state: f.state, message: `${f.message}; the token may not have arrived`, fix: f.fix, output };
    }
    const said = clean(lastSshLine(run.stderr) || lastSshLine(run.stdout));
    return {
      ok: false,
      state: null,
      message: `${c.name}: \`${what}\` did not take the token (exit ${String(run.code ?? run.signal)}${said ? `: ${said}` : ''})`,
      fix: `fix what ${c.name} says, then run \`authbar setup-token --host ${c.name}\` again`,
      output,
    };
  };

  if (probe.via === 'gateway-cli') {
    const { openclawPasteArgs, openclawTook } = await openClawRemoteCli();
    const words = openclawPasteArgs(req.provider, profileId, req.expiresIn, probe.agent);
    const run = await c.run(words, input);
    if (run.code !== 0) return failed(run, 'openclaw models auth paste-token');
    const status = await c.run(['openclaw', 'models', 'status', '--json', '--agent', probe.agent]);
    const took =
      status.code === 0
        ? openclawTook(status.stdout, profileId, req.secret, probe.agent)
        : {
            took: null,
            detail: `\`openclaw models status --json\` on ${c.name} ended with exit ${String(status.code)}`,
          };
    return {
      ok: true,
      via: 'gateway-cli',
      profileId,
      vault: 'not-asked',
      keyringReason: null,
      output: clean(run.stdout),
      took,
    };
  }

  const add = (noVault: boolean) => [
    probe.program,
    'token',
    'add',
    '--provider',
    req.provider,
    '--profile-id',
    profileId,
    '--expires-in',
    req.expiresIn,
    ...(noVault ? ['--no-vault'] : []),
  ];
  let run = await c.run(add(req.noVault), input);
  let vault: 'kept' | 'not-asked' | 'no-keyring' = req.noVault ? 'not-asked' : 'kept';
  let keyringReason: string | null = null;
  if (run.code === EXIT_NO_KEYRING && !req.noVault) {
    // A headless server has no Secret Service: the remote refused before storing or landing
    // anything, so landing it there without a copy in a keyring is the one way it can take it.
    keyringReason = clean(lastSshLine(run.stderr)).slice(0, 300);
    vault = 'no-keyring';
    run = await c.run(add(true), input);
  }
  if (run.code !== 0) return failed(run, `${probe.program} token add`);
  const status = await c.run([probe.program, 'status', '--json', '--no-sync', '--no-live']);
  const took = authbarTook(status, profileId, req.secret, c.name);
  return { ok: true, via: 'authbar', profileId, vault, keyringReason, output: clean(run.stdout), took };
}

/** Whether the host's `authbar status --json` shows the token (by fingerprint) under the profile id. */
export function authbarTook(run: SshRun, profileId: string, secret: string, hostName: string): TookCheck {
  if (run.code !== 0 || run.truncated)
    return { took: null, detail: `\`authbar status --json\` on ${hostName} did not answer (exit ${String(run.code)})` };
  let json: unknown;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    return { took: null, detail: `\`authbar status --json\` on ${hostName} printed no JSON` };
  }
  const parsed = Snapshot.safeParse(json);
  if (!parsed.success)
    return {
      took: null,
      detail: `${hostName}'s AuthBar answered in a shape this AuthBar does not know: update AuthBar on both sides`,
    };
  const fp = fingerprint(secret);
  // OpenClaw read through its CLI shows no fingerprint, only a masked tail: that must match.
  const ours = (p: { profileId: string; fingerprint: string | null; masked: string | null }) => {
    if (p.profileId !== profileId) return false;
    if (p.fingerprint !== null) return p.fingerprint === fp;
    const tail = p.masked?.split('…').pop() ?? '';
    return p.masked !== null && p.masked.includes('…') && tail.length >= 4 && secret.endsWith(tail);
  };
  const holding = parsed.data.agents.filter((a) => a.profiles.some(ours));
  if (holding.length === 0)
    return { took: false, detail: `${hostName}'s status shows no agent holding the new token under ${profileId}` };
  const p = holding[0]!.profiles.find(ours)!;
  const until = p.expiresAt !== null ? `, expires ${new Date(p.expiresAt).toISOString().slice(0, 10)}` : '';
  const agents = holding.map((a) => a.agentId).join(', ');
  return { took: p.usable, detail: `${profileId} on ${hostName} (agent ${agents}): ${p.status}${until}` };
}
