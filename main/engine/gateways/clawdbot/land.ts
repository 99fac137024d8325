/**
 * Landing a token in Clawdbot 2026.1: AuthBar's own locked, atomic store write into every
 * managed agent — not `clawdbot models auth paste-token`, because (run against the real
 * 2026.1.24-3) that command: prompts with a TTY-only widget that echoes the whole token back
 * to the terminal; with the token piped to it, exits 0 without writing anything; writes
 * only the default agent's store; and rewrites `clawdbot.json` (adds defaults and `meta`).
 * What it writes to the store is `{type:"token", provider, token, expires}` with `expires`
 * in epoch ms — exactly what AuthBar writes here, under the same lock Clawdbot takes.
 */
import { promises as fsp } from 'node:fs';
import { describeError } from '../../errors.js';
import { DEFAULT_AGENT_ID, type Paths } from '../../paths.js';
import { StoredProfile, type AuthStore } from '../../schemas.js';
import {
  notOlderDetail,
  type LandDeps,
  type LandPolicy,
  type Landing,
  type LandingSkip,
  type TokenToLand,
} from '../../tokens/land.js';
import { discoverAgents } from './agents.js';
import { readStore, updateStore } from './store.js';
import { noStateDirReason } from './store-target.js';

function credentialFor(t: TokenToLand): Record<string, unknown> {
  if (t.kind === 'api-key') return { type: 'api_key', provider: t.provider, key: t.secret };
  return {
    type: 'token',
    provider: t.provider,
    token: t.secret,
    ...(t.expiresAt !== null ? { expires: t.expiresAt } : {}),
  };
}

type Decision =
  | { write: true }
  | { write: false; outcome: 'unchanged'; detail: null }
  | { write: false; outcome: 'skipped'; skip: LandingSkip; detail: string };

function decide(existingRaw: unknown, t: TokenToLand, policy: LandPolicy): Decision {
  if (existingRaw === undefined) return { write: true };
  const parsed = StoredProfile.safeParse(existingRaw);
  const existing = parsed.success ? parsed.data : undefined;
  if (existing?.type === 'oauth')
    return {
      write: false,
      outcome: 'skipped',
      skip: 'holds-oauth',
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
  return { write: false, outcome: 'skipped', skip: 'not-older', detail: notOlderDetail(t.profileId) };
}

const isDir = (path: string) =>
  fsp.stat(path).then(
    (st) => st.isDirectory(),
    () => false,
  );

/** Lands the token in every managed agent's store; one Landing per agent. */
export async function landInClawdbot(
  paths: Paths,
  deps: LandDeps,
  t: TokenToLand,
  policy: LandPolicy,
): Promise<Landing[]> {
  const agents = await discoverAgents(paths, deps.settings.agents);
  const out: Landing[] = [];
  for (const agent of agents) {
    if (agent.origin === 'legacy') continue; // Clawdbot 2026.1 no longer reads it
    const base = { target: agent.agentId, label: `agent ${agent.agentId}` };
    const read = await readStore(agent.storePath);
    if (read.kind === 'missing' && agent.origin === 'agents' && agent.agentId !== DEFAULT_AGENT_ID) {
      out.push({
        ...base,
        outcome: 'skipped',
        skip: 'no-store-yet',
        detail: "no store yet: Clawdbot copies main's into it on first use",
      });
      continue;
    }
    if (read.kind === 'error') {
      out.push({ ...base, outcome: 'failed', detail: read.error.message });
      continue;
    }
    if (read.kind === 'missing' && agent.origin !== 'env' && !(await isDir(paths.stateDir))) {
      out.push({ ...base, outcome: 'skipped', skip: 'no-state-dir', detail: noStateDirReason(paths.stateDir) });
      continue;
    }
    try {
      const outcome = await updateStore<Decision>(
        agent.storePath,
        (current) => {
          const d = decide(current?.profiles[t.profileId], t, policy);
          if (!d.write) return { next: null, result: d };
          const store: AuthStore = current ?? { version: 1, profiles: {} };
          return { next: { ...store, profiles: { ...store.profiles, [t.profileId]: credentialFor(t) } }, result: d };
        },
        agent.origin === 'env' ? {} : { stateDir: paths.stateDir },
      );
      const d = outcome.result;
      out.push(
        d.write
          ? { ...base, outcome: outcome.wrote ? 'written' : 'unchanged', detail: null }
          : d.outcome === 'skipped'
            ? { ...base, outcome: 'skipped', skip: d.skip, detail: d.detail }
            : { ...base, outcome: 'unchanged', detail: null },
      );
    } catch (err) {
      out.push({ ...base, outcome: 'failed', detail: describeError(err) });
    }
  }
  return out;
}

/** Clawdbot 2026.1 has no command that removes a profile: the instruction, in words. */
export function clawdbotRemoveInstruction(stateDir: string, profileId: string): string {
  return `delete "${profileId}" from "profiles" in each agent's ${stateDir}/agents/<agent>/agent/auth-profiles.json (Clawdbot 2026.1 has no command for it)`;
}
