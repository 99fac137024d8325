/**
 * A host with OpenClaw and no AuthBar: what AuthBar asks its `openclaw` (verified against
 * 2026.9.6). `agents list --json` names the default agent (`isDefault`); `models auth
 * paste-token` takes the token on stdin, and with more than one agent refuses without
 * `--agent`; `models status --json` shows what it holds, masked as `<id>=<type>:<first 8>...
 * <last 8>`. Everything here parses the host's output: zod, capped, never run.
 */
import * as z from 'zod/mini';
import type { TookCheck } from '../../hosts/remote-token.js';
import { OpenClawStatus } from './land.js';

/** An agent id as OpenClaw makes them; anything else from the host is not used. */
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const AgentList = z
  .array(z.looseObject({ id: z.string(), isDefault: z.optional(z.boolean()) }))
  .check(z.maxLength(500));

/** The first JSON value in what a CLI printed (OpenClaw may print a banner line first). */
function jsonIn(stdout: string, open: '[' | '{'): unknown {
  const at = stdout.indexOf(open);
  if (at === -1) return undefined;
  try {
    return JSON.parse(stdout.slice(at)) as unknown;
  } catch {
    return undefined;
  }
}

/** The default agent `openclaw agents list --json` names: `isDefault`, else `main`, else the first. */
export function pickDefaultAgent(stdout: string): string | null {
  const parsed = AgentList.safeParse(jsonIn(stdout, '['));
  if (!parsed.success) return null;
  const ids = parsed.data.filter((a) => AGENT_ID.test(a.id));
  return ids.find((a) => a.isDefault === true)?.id ?? ids.find((a) => a.id === 'main')?.id ?? ids[0]?.id ?? null;
}

/** The remote words of the paste (the token goes on stdin). */
export function openclawPasteArgs(provider: string, profileId: string, expiresIn: string, agent: string): string[] {
  if (!AGENT_ID.test(agent)) throw new Error(`"${agent.slice(0, 40)}" is not an OpenClaw agent id`);
  return [
    'openclaw',
    'models',
    'auth',
    'paste-token',
    '--provider',
    provider,
    '--profile-id',
    profileId,
    '--expires-in',
    expiresIn,
    '--agent',
    agent,
  ];
}

/** Whether `openclaw models status --json` on the host shows our token (by its tail) under the id. */
export function openclawTook(stdout: string, profileId: string, secret: string, agent: string): TookCheck {
  const parsed = OpenClawStatus.safeParse(jsonIn(stdout.slice(0, 4 * 1024 * 1024), '{'));
  if (!parsed.success)
    return { took: null, detail: '`openclaw models status --json` answered in a shape AuthBar does not know' };
  const profile = parsed.data.auth.oauth?.profiles.find((p) => p.profileId === profileId);
  if (profile === undefined)
    return { took: false, detail: `OpenClaw's status for agent ${agent} does not list ${profileId}` };
  let tail: string | null = null;
  for (const p of parsed.data.auth.providers ?? [])
    for (const label of p.profiles?.labels ?? []) {
      if (!label.startsWith(`${profileId}=`)) continue;
      const i = label.lastIndexOf('...');
      if (i !== -1) tail = label.slice(i + 3);
    }
  const ours = tail !== null && tail.length >= 4 && secret.endsWith(tail);
  const until =
    typeof profile.expiresAt === 'number' ? `, expires ${new Date(profile.expiresAt).toISOString().slice(0, 10)}` : '';
  if (!ours) return { took: false, detail: `OpenClaw holds another credential under ${profileId} for agent ${agent}` };
  const status = profile.status !== undefined && /^[a-z_-]{1,20}$/.test(profile.status) ? profile.status : 'held';
  return { took: true, detail: `${profileId} in OpenClaw (agent ${agent}): ${status}${until}` };
}
