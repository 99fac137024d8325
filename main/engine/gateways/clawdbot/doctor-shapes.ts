/** Doctor: profile entries Clawdbot would ignore or misread (fields named, values never quoted). */
import { readStore } from './store.js';
import type { AgentView } from '../../../../common/snapshot.js';
import type { GatewayDoctorCheck as DoctorCheck } from '../types.js';

export const SETUP_TOKEN_PATTERN = /^sk-ant-oat01-[A-Za-z0-9_-]{80,}$/;

/** Profiles Clawdbot would ignore or misread. Looks at the raw entries, names fields only. */
export async function profileShapeChecks(agent: AgentView): Promise<DoctorCheck[]> {
  const read = await readStore(agent.storePath);
  if (read.kind !== 'ok') return [];
  const out: DoctorCheck[] = [];
  const name = `agent ${agent.agentId}`;
  for (const [profileId, raw] of Object.entries(read.store.profiles)) {
    const problems = profileProblems(profileId, raw);
    for (const problem of problems) {
      out.push({
        id: `profile:${agent.agentId}:${profileId}`,
        verdict: problem.verdict,
        message: `${name}: ${profileId} ${problem.text}.`,
        fix: problem.fix,
      });
    }
  }
  return out;
}

export interface ProfileProblem {
  verdict: 'warn' | 'fail';
  text: string;
  fix: string | null;
}

/** What is wrong with one stored profile entry, in words that never quote a value. */
export function profileProblems(profileId: string, raw: unknown): ProfileProblem[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return [{ verdict: 'warn', text: 'is not an object, so Clawdbot ignores it', fix: null }];
  const p = raw as Record<string, unknown>;
  const out: ProfileProblem[] = [];
  const type = p['type'];
  if (type !== 'oauth' && type !== 'token' && type !== 'api_key')
    out.push({
      verdict: 'warn',
      text: `has ${type === undefined ? 'no type' : 'an unknown type'} (api_key, token or oauth), so Clawdbot ignores it`,
      fix: null,
    });
  if (typeof p['provider'] !== 'string' || p['provider'] === '')
    out.push({ verdict: 'warn', text: 'has no provider, so Clawdbot ignores it', fix: null });
  const expectedProvider = profileId.split(':')[0];
  if (typeof p['provider'] === 'string' && expectedProvider && p['provider'] !== expectedProvider)
    out.push({
      verdict: 'warn',
      text: `says provider "${p['provider']}" but its id names "${expectedProvider}"`,
      fix: null,
    });
  const claudeNames = ['accessToken', 'refreshToken', 'expiresAt'].filter((k) => k in p);
  if (claudeNames.length > 0)
    out.push({
      verdict: 'fail',
      text: `uses Claude Code's field names (${claudeNames.join(', ')}) where Clawdbot reads access, refresh, expires`,
      fix: 'authbar sync   # after removing the entry, for anthropic:claude-cli',
    });
  if (type === 'oauth') {
    for (const k of ['access', 'refresh'])
      if (typeof p[k] !== 'string' || p[k] === '')
        out.push({ verdict: 'fail', text: `has no usable "${k}" string`, fix: null });
    if (typeof p['expires'] !== 'number' || !Number.isFinite(p['expires']))
      out.push({
        verdict: 'warn',
        text: `has ${'expires' in p ? 'an "expires" that is not a number of epoch ms' : 'no "expires"'}, so its health cannot be judged`,
        fix: null,
      });
  }
  if (type === 'token') {
    const token = p['token'];
    if (typeof token !== 'string' || token === '')
      out.push({ verdict: 'fail', text: 'has no token', fix: 'claude setup-token' });
    else if (p['provider'] === 'anthropic' && token.startsWith('sk-ant-oat') && !SETUP_TOKEN_PATTERN.test(token)) {
      out.push({
        verdict: 'fail',
        text: `holds a setup token that is not a whole sk-ant-oat01- token of 80+ characters (${token.length} characters${/\s/.test(token) ? ', with whitespace' : ''}): it was probably cut when copied`,
        fix: 'claude setup-token   # copy the whole token',
      });
    }
    if ('expires' in p && (typeof p['expires'] !== 'number' || !Number.isFinite(p['expires'])))
      out.push({ verdict: 'warn', text: 'has an "expires" that is not a number of epoch ms', fix: null });
  }
  if (type === 'api_key' && (typeof p['key'] !== 'string' || p['key'] === ''))
    out.push({ verdict: 'fail', text: 'has no key', fix: null });
  return out;
}
