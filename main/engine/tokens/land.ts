/**
 * Landing a token in the gateway.
 *
 * Under OpenClaw, only through its own CLI (`openclaw models auth paste-token`, the token on
 * its stdin, `--expires-in` so OpenClaw knows when it dies): AuthBar never writes a file in
 * OpenClaw's state dir.
 *
 * Under Clawdbot 2026.1, through the engine's own locked, atomic store write into every
 * managed agent — not `clawdbot models auth paste-token`, because (run against the real
 * 2026.1.24-3) that command: prompts with a TTY-only widget that echoes the whole token back
 * to the terminal; with the token piped to it, exits 0 without writing anything; writes
 * only the default agent's store; and rewrites `clawdbot.json` (adds defaults and `meta`).
 * What it writes to the store is `{type:"token", provider, token, expires}` with `expires`
 * in epoch ms — exactly what AuthBar writes here, under the same lock Clawdbot takes.
 */
import * as z from 'zod/mini';
import { discoverAgents } from '../gateways/clawdbot/agents.js';
import { AuthBarError, describeError } from '../errors.js';
import { findGatewayCli, gatewayCli, type GatewayCli } from '../gateways/cli-runner.js';
import type { DetectedGateway } from '../gateways/detect.js';
import { DEFAULT_AGENT_ID, resolvePaths } from '../paths.js';
import type { Env } from '../ports.js';
import { StoredProfile, type AuthStore } from '../schemas.js';
import { maskSecret } from '../secrets/mask.js';
import type { Settings } from '../settings.js';
import { readStore, updateStore } from '../gateways/clawdbot/store.js';
import { noStateDirReason } from '../gateways/clawdbot/store-target.js';
import { promises as fsp } from 'node:fs';
import { checkProfileId as profileIdProblem, type SecretKind } from '../../../common/rules.js';

export interface TokenToLand {
  provider: string;
  profileId: string;
  kind: SecretKind;
  secret: string;
  /** Epoch ms, or null when nobody knows. */
  expiresAt: number | null;
}

/** `always`: the user handed this token in now. `missing-or-older`: sync fills gaps only. */
export type LandPolicy = 'always' | 'missing-or-older';

export interface Landing {
  /** A Clawdbot agent id, or `openclaw`. */
  target: string;
  outcome: 'written' | 'unchanged' | 'skipped' | 'failed';
  /** One sentence for `skipped` / `failed`; never holds the secret. */
  detail: string | null;
  /**
   * The expiry the gateway stored, when it computed it itself (OpenClaw turns
   * `--expires-in` into a date by its own clock, a few seconds after AuthBar's).
   */
  storedExpiresAt?: number | null;
}

export interface LandDeps {
  env: Env;
  settings: Pick<Settings, 'agents' | 'gatewayCli'>;
  gateway: DetectedGateway;
  now: number;
  /** The clock at the moment of spawning a gateway CLI (defaults to Date.now). */
  clock?: () => number;
}

/** The shared profile-id rule (common/rules.ts), worded for `--profile-id`; null when the id may be used. */
export function checkProfileId(profileId: string, provider: string): string | null {
  switch (profileIdProblem(profileId, provider)) {
    case null:
      return null;
    case 'malformed':
      return `--profile-id must look like ${provider}:<name> (letters, digits, . _ - @)`;
    case 'other-provider':
      return `--profile-id must start with "${provider}:"`;
    case 'sync-owned':
      return `${profileId} is kept in step with its own login by \`authbar sync\`: choose another --profile-id`;
  }
}

export async function landToken(deps: LandDeps, token: TokenToLand, policy: LandPolicy): Promise<Landing[]> {
  return deps.gateway.kind === 'openclaw'
    ? [await landInOpenClaw(deps, token, policy)]
    : landInClawdbot(deps, token, policy);
}

function credentialFor(t: TokenToLand): Record<string, unknown> {
  if (t.kind === 'api-key') return { type: 'api_key', provider: t.provider, key: t.secret };
  return {
    type: 'token',
    provider: t.provider,
    token: t.secret,
    ...(t.expiresAt !== null ? { expires: t.expiresAt } : {}),
  };
}

type Decision = { write: true } | { write: false; outcome: 'unchanged' | 'skipped'; detail: string | null };

function decide(existingRaw: unknown, t: TokenToLand, policy: LandPolicy): Decision {
  if (existingRaw === undefined) return { write: true };
  const parsed = StoredProfile.safeParse(existingRaw);
  const existing = parsed.success ? parsed.data : undefined;
  if (existing?.type === 'oauth')
    return {
      write: false,
      outcome: 'skipped',
      detail: `${t.profileId} holds an OAuth login there; choose another --profile-id`,
    };
  const same =
    existing !== undefined &&
    ((t.kind === 'api-key' && existing.type === 'api_key' && existing.key === t.secret) ||
      (t.kind === 'setup-token' &&
        existing.type === 'token' &&
        existing.token === t.secret &&
        (existing.expires ?? null) === t.expiresAt));
  if (same) return { write: false, outcome: 'unchanged', detail: null };
  if (policy === 'always') return { write: true };
  // Sync replaces another token only when ours outlives it.
  const theirs = existing?.type === 'token' ? (existing.expires ?? null) : null;
  if (existing?.type === 'token' && existing.token === t.secret) return { write: true }; // same token, expiry unrecorded there
  if (t.expiresAt !== null && (theirs === null || theirs < t.expiresAt)) return { write: true };
  return {
    write: false,
    outcome: 'skipped',
    detail: `${t.profileId} there holds another credential that is not older than the vault's; left alone`,
  };
}

async function landInClawdbot(deps: LandDeps, t: TokenToLand, policy: LandPolicy): Promise<Landing[]> {
  const paths = resolvePaths(deps.env);
  const agents = await discoverAgents(paths, deps.settings.agents);
  const out: Landing[] = [];
  for (const agent of agents) {
    if (agent.origin === 'legacy') continue; // Clawdbot 2026.1 no longer reads it
    const read = await readStore(agent.storePath);
    if (read.kind === 'missing' && agent.origin === 'agents' && agent.agentId !== DEFAULT_AGENT_ID) {
      out.push({
        target: agent.agentId,
        outcome: 'skipped',
        detail: "no store yet: Clawdbot copies main's into it on first use",
      });
      continue;
    }
    if (read.kind === 'error') {
      out.push({ target: agent.agentId, outcome: 'failed', detail: read.error.message });
      continue;
    }
    if (
      read.kind === 'missing' &&
      agent.origin !== 'env' &&
      !(await fsp.stat(paths.stateDir).then(
        (st) => st.isDirectory(),
        () => false,
      ))
    ) {
      out.push({ target: agent.agentId, outcome: 'skipped', detail: noStateDirReason(paths.stateDir) });
      continue;
    }
    try {
      const outcome = await updateStore<Decision>(
        agent.storePath,
        (current) => {
          const d = decide(current?.profiles[t.profileId], t, policy);
          if (!d.write) return { next: null, result: d };
          const base: AuthStore = current ?? { version: 1, profiles: {} };
          return { next: { ...base, profiles: { ...base.profiles, [t.profileId]: credentialFor(t) } }, result: d };
        },
        agent.origin === 'env' ? {} : { stateDir: paths.stateDir },
      );
      const d = outcome.result;
      out.push(
        d.write
          ? { target: agent.agentId, outcome: outcome.wrote ? 'written' : 'unchanged', detail: null }
          : { target: agent.agentId, outcome: d.outcome, detail: d.detail },
      );
    } catch (err) {
      out.push({ target: agent.agentId, outcome: 'failed', detail: describeError(err) });
    }
  }
  return out;
}

// What AuthBar reads of `openclaw models status --json` (read-only; plain status writes).
const OpenClawStatus = z.looseObject({
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
          z.looseObject({ profileId: z.string(), type: z.string(), expiresAt: z.optional(z.nullable(z.number())) }),
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

/** One plain line out of a gateway's error output, ANSI removed and any secret masked. */
function gatewayMessage(text: string, secret: string): string {
  const lines = text
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /error|invalid|fail|refus/i.test(l)) ?? lines[lines.length - 1] ?? 'no message';
  return line.split(secret).join(maskSecret(secret)).slice(0, 300);
}

/** What OpenClaw holds under a profile id: its type, expiry and the tail of its masked secret. */
export async function openclawHolding(
  cli: GatewayCli,
  profileId: string,
): Promise<{ type: string; expiresAt: number | null; tail: string | null } | null> {
  const r = await cli.run(['models', 'status', '--json'], { timeoutMs: 120_000 });
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

async function landInOpenClaw(deps: LandDeps, t: TokenToLand, policy: LandPolicy): Promise<Landing> {
  const target = 'openclaw';
  const cli = openclawCli(deps);
  const held = await openclawHolding(cli, t.profileId);
  if (held !== null) {
    const ours = held.tail !== null && held.tail.length >= 4 && t.secret.endsWith(held.tail);
    // OpenClaw computes the expiry from its own clock when it stores the token: a few seconds apart.
    const sameExpiry =
      (held.expiresAt === null && t.expiresAt === null) ||
      (held.expiresAt !== null && t.expiresAt !== null && Math.abs(held.expiresAt - t.expiresAt) < 10 * 60_000);
    if (ours && sameExpiry) return { target, outcome: 'unchanged', detail: null };
    if (
      policy === 'missing-or-older' &&
      !ours &&
      !(t.expiresAt !== null && (held.expiresAt === null || held.expiresAt < t.expiresAt))
    ) {
      return {
        target,
        outcome: 'skipped',
        detail: `${t.profileId} there holds another credential that is not older than the vault's; left alone`,
      };
    }
  }
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
  const r = await cli.run(args, { stdin: t.secret + '\n', timeoutMs: 120_000 });
  if (r.code !== 0) {
    const why = r.timedOut
      ? 'it did not finish within 2 minutes'
      : `exit ${r.code ?? r.signal}: ${gatewayMessage(r.stderr + '\n' + r.stdout, t.secret)}`;
    return {
      target,
      outcome: 'failed',
      detail: `\`openclaw models auth ${args[2]}\` did not take the token (${why}); run \`openclaw doctor\`, then try again.`,
    };
  }
  // Read back what OpenClaw made of `--expires-in`, so AuthBar records the very same date.
  const after = await openclawHolding(cli, t.profileId).catch(() => null);
  return { target, outcome: 'written', detail: null, ...(after ? { storedExpiresAt: after.expiresAt } : {}) };
}

/** The command that removes a profile from the gateway (AuthBar does not do it for you). */
export function gatewayRemoveCommand(gateway: DetectedGateway, profileId: string): string {
  return gateway.kind === 'openclaw'
    ? `openclaw models auth logout ${profileId}`
    : `delete "${profileId}" from "profiles" in each agent's ${gateway.stateDir}/agents/<agent>/agent/auth-profiles.json (Clawdbot 2026.1 has no command for it)`;
}
