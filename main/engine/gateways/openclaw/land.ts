/**
 * Landing a token in OpenClaw: only through its own CLI (`openclaw models auth paste-token`,
 * the token on its stdin, `--expires-in` so OpenClaw knows when it dies). AuthBar never writes
 * a file in OpenClaw's state dir, and reads what OpenClaw holds only on a private copy
 * (`models status --json` writes too). With more than one agent OpenClaw refuses a paste
 * without `--agent`: AuthBar names the default agent (its store is the shared one every
 * agent sees), then each agent whose own store still holds another credential under the id.
 */
import * as z from 'zod/mini';
import { AuthBarError } from '../../errors.js';
import { findGatewayCli, gatewayCli, type GatewayCli } from '../cli-runner.js';
import { maskSecret } from '../../secrets/mask.js';
import type { Env } from '../../ports.js';
import { discoverOpenClawAgents } from './agents.js';
import { readOpenClawConfig, type OpenClawConfig } from './config.js';
import { resolveOpenClawPaths } from './paths.js';
import { makePrivateCopy } from './private-copy.js';
import { notOlderDetail, type LandDeps, type LandPolicy, type Landing, type TokenToLand } from '../../tokens/land.js';
import { shellQuote } from '../../../../common/shell.js';

// What AuthBar reads of `openclaw models status --json` (read-only; plain status writes), here
// and on a remote host after `setup-token --host` (remote-cli.ts).
export const OpenClawStatus = z.looseObject({
  auth: z.looseObject({
    providers: z.optional(
      z.array(
        z.looseObject({
          provider: z.string(),
          profiles: z.optional(z.looseObject({ labels: z.optional(z.array(z.string())) })),
        }),
      ),
    ),
    oauth: z.optional(
      z.looseObject({
        profiles: z.array(
          z.looseObject({
            profileId: z.string(),
            type: z.string(),
            status: z.optional(z.string()),
            expiresAt: z.optional(z.nullable(z.number())),
          }),
        ),
      }),
    ),
  }),
});

export function openclawCli(deps: Pick<LandDeps, 'env' | 'settings'>): GatewayCli {
  const bin = findGatewayCli('openclaw', deps.env, deps.settings.gatewayCli);
  if (bin === null) {
    throw new AuthBarError(
      'gateway-cli',
      deps.settings.gatewayCli !== null
        ? `The gateway CLI ${deps.settings.gatewayCli} named in AuthBar's settings is not an executable file: fix "gatewayCli" in the settings file.`
        : 'The `openclaw` command is not on PATH: install OpenClaw, or set "gatewayCli" in AuthBar\'s settings file to its full path.',
    );
  }
  return gatewayCli('openclaw', bin, deps.env);
}

/** OpenClaw's lines that are never the reason a command failed (a service warning it prints first). */
const NOISE = [
  /^Installed Gateway service state/i,
  /^Warning: Model auth changes were saved/i,
  /^Anthropic /,
  /^OpenClaw prefers/,
];
/** Words of a line that says why. */
const REASON = /error|invalid|fail|refus|cannot|could not|required|must|pass --|not allowed|no such|missing/i;

/**
 * The line of a gateway's output that says why it refused, ANSI removed and any secret
 * masked: stderr first, known noise skipped, a line with a reason word first.
 */
export function gatewayMessage(stderr: string, stdout: string, secret: string): string {
  const lines = `${stderr}\n${stdout}`
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const meaningful = lines.filter((l) => !NOISE.some((n) => n.test(l)));
  const line = meaningful.find((l) => REASON.test(l)) ?? meaningful[0] ?? lines[0] ?? 'no message';
  return line.split(secret).join(maskSecret(secret)).slice(0, 300);
}

/** OpenClaw's agents and the one a paste names: a `default: true` entry, the system agent, `main`, the first. */
export function pasteAgents(cfg: OpenClawConfig, env: Env): { defaultId: string; ids: string[]; dirs: string[] } {
  const found = discoverOpenClawAgents(resolveOpenClawPaths(env), cfg, null);
  const ids = found.map((a) => a.agentId);
  const rec = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const agents = rec(cfg.raw['agents']);
  const marked = Object.entries(rec(agents['entries']))
    .filter(([, e]) => rec(e)['default'] === true)
    .map(([id]) => id);
  const system = rec(rec(agents['defaults'])['systemAgent'])['agentId'];
  const defaultId =
    (agents['ownership'] !== 'explicit' && marked.length === 1 ? marked[0] : undefined) ??
    (typeof system === 'string' && ids.includes(system) ? system : undefined) ??
    (ids.includes('main') ? 'main' : ids[0]) ??
    'main';
  return { defaultId, ids, dirs: found.map((a) => a.agentDir) };
}

type Holding = { type: string; expiresAt: number | null; tail: string | null } | null;

/** What each agent holds under a profile id, asked of `openclaw models status --json` on one private copy. */
async function holdings(
  cli: GatewayCli,
  env: Env,
  profileId: string,
  agentIds: readonly string[],
  agentDirs: readonly string[],
): Promise<Map<string, Holding>> {
  const copy = await makePrivateCopy(env, agentDirs);
  try {
    const held = await Promise.all(agentIds.map((id) => openclawHolding(cli, profileId, id, copy.env)));
    return new Map(agentIds.map((id, i) => [id, held[i] ?? null]));
  } finally {
    copy.dispose();
  }
}

/** What OpenClaw holds under a profile id: its type, expiry and the tail of its masked secret. */
export async function openclawHolding(
  cli: GatewayCli,
  profileId: string,
  agentId: string,
  copyEnv: Env,
): Promise<Holding> {
  const r = await cli.run(['models', 'status', '--json', '--agent', agentId], { timeoutMs: 120_000, env: copyEnv });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  } catch {
    throw new AuthBarError(
      'gateway-cli',
      `\`openclaw models status --json\` printed no JSON (exit ${r.code ?? r.signal}): run it yourself to see why.`,
    );
  }
  const parsed = OpenClawStatus.safeParse(json);
  if (!parsed.success)
    throw new AuthBarError(
      'gateway-cli',
      '`openclaw models status --json` printed JSON of a shape AuthBar does not know: update AuthBar.',
    );
  const profile = parsed.data.auth.oauth?.profiles.find((p) => p.profileId === profileId);
  if (!profile) return null;
  // Labels read `<id>=<type>:<first 8>...<last 8>`: the tail tells whether it is our token.
  let tail: string | null = null;
  for (const p of parsed.data.auth.providers ?? []) {
    for (const label of p.profiles?.labels ?? []) {
      if (!label.startsWith(`${profileId}=`)) continue;
      const masked = label.slice(label.indexOf(':', profileId.length + 1) + 1);
      const i = masked.lastIndexOf('...');
      if (i !== -1) tail = masked.slice(i + 3);
    }
  }
  return { type: profile.type, expiresAt: profile.expiresAt ?? null, tail };
}

/** Whether OpenClaw's copy is ours with our expiry (it computes the expiry by its own clock: minutes apart). */
function holdsOurs(held: Holding, t: TokenToLand): boolean {
  if (held === null) return false;
  const ours = held.tail !== null && held.tail.length >= 4 && t.secret.endsWith(held.tail);
  const sameExpiry =
    (held.expiresAt === null && t.expiresAt === null) ||
    (held.expiresAt !== null && t.expiresAt !== null && Math.abs(held.expiresAt - t.expiresAt) < 10 * 60_000);
  return ours && sameExpiry;
}

/** Sync only replaces another credential when it is older than the token it lands. */
function olderThanOurs(held: Holding, t: TokenToLand): boolean {
  if (held === null) return true;
  const ours = held.tail !== null && held.tail.length >= 4 && t.secret.endsWith(held.tail);
  return ours || (t.expiresAt !== null && (held.expiresAt === null || held.expiresAt < t.expiresAt));
}

export async function landInOpenClaw(
  deps: LandDeps,
  t: TokenToLand,
  policy: LandPolicy,
  label: string,
): Promise<Landing> {
  const target = 'openclaw';
  const cli = openclawCli(deps);
  const { defaultId, ids, dirs } = pasteAgents(
    await readOpenClawConfig(resolveOpenClawPaths(deps.env).configPath),
    deps.env,
  );
  const before = await holdings(cli, deps.env, t.profileId, ids, dirs);
  if (ids.every((id) => holdsOurs(before.get(id) ?? null, t)))
    return { target, label, outcome: 'unchanged', detail: null };
  let wrote = false;
  const paste = async (agentId: string): Promise<string | null> => {
    const args =
      t.kind === 'api-key'
        ? ['models', 'auth', 'paste-api-key', '--provider', t.provider, '--profile-id', t.profileId]
        : [
            'models',
            'auth',
            'paste-token',
            '--provider',
            t.provider,
            '--profile-id',
            t.profileId,
            ...(t.expiresAt !== null
              ? ['--expires-in', `${Math.max(1, Math.round((t.expiresAt - (deps.clock ?? Date.now)()) / 1000))}s`]
              : []),
          ];
    const r = await cli.run([...args, '--agent', agentId], { stdin: t.secret + '\n', timeoutMs: 120_000 });
    if (r.code === 0) {
      wrote = true;
      return null;
    }
    const why = r.timedOut
      ? 'it did not finish within 2 minutes'
      : `exit ${r.code ?? r.signal}: ${gatewayMessage(r.stderr, r.stdout, t.secret)}`;
    return `\`openclaw models auth ${args[2]} --agent ${agentId}\` did not take the token (${why}); fix what OpenClaw says, then try again.`;
  };
  const main = before.get(defaultId) ?? null;
  if (!holdsOurs(main, t)) {
    if (policy === 'missing-or-older' && !olderThanOurs(main, t))
      return { target, label, outcome: 'skipped', skip: 'not-older', detail: notOlderDetail(t.profileId) };
    const failed = await paste(defaultId);
    if (failed) return { target, label, outcome: 'failed', detail: failed };
  }
  // An agent whose own store holds the id still sees its own copy over the shared one: land it there too.
  let after = ids.length > 1 ? await holdings(cli, deps.env, t.profileId, ids, dirs).catch(() => null) : null;
  const own = ids.filter(
    (id) =>
      id !== defaultId &&
      after !== null &&
      !holdsOurs(after.get(id) ?? null, t) &&
      (policy === 'always' || olderThanOurs(after.get(id) ?? null, t)),
  );
  for (const id of own) {
    const failed = await paste(id);
    if (failed) return { target, label, outcome: 'failed', detail: failed };
  }
  if (!wrote) return { target, label, outcome: 'unchanged', detail: null };
  // Read back what OpenClaw made of `--expires-in`, so AuthBar records the very same date.
  if (after === null || own.length > 0)
    after = await holdings(cli, deps.env, t.profileId, [defaultId], dirs).catch(() => null);
  const stored = after?.get(defaultId);
  return { target, label, outcome: 'written', detail: null, ...(stored ? { storedExpiresAt: stored.expiresAt } : {}) };
}

/** The command that removes a profile from OpenClaw (AuthBar does not do it for you). */
export function openClawRemoveCommand(profileId: string): string {
  return `openclaw models auth logout ${shellQuote(profileId)}`;
}
