/**
 * The subjects of a snapshot the notification policy tracks (a profile of an agent, a provider
 * an agent lacks, a source, an agent's store, the gateway config), each with its level and what
 * its notice would say. Pure; worded from ids, providers, durations and the engine's sentences.
 */
import { sourceById, sourceLabel } from '../sources/registry.js';
import * as z from 'zod/mini';
import { worst, type Attention } from '../health.js';
import type { NoticeAction } from './notices.js';
import type { ProfileView, Snapshot } from '../../../common/snapshot.js';
import { formatDuration } from '../../../common/duration.js';
import { renewCommandFor } from '../tokens/age.js';
import { isoTime, isRepresentableTime } from '../time.js';
import { liveSubjectsOf } from './live-subjects.js';

export const LevelSchema = z.enum(['none', 'soon', 'now']);
export const ActionSchema = z.enum(['setup-token', 'resync', 'open-details', 'open-store', 'none']);
export const SubjectRef = z.object({
  agentId: z.nullable(z.string()),
  profileId: z.nullable(z.string()),
  provider: z.nullable(z.string()),
});

/** What a subject's notices say, kept so a recovery or a late (snoozed) notice can be told. */
export const Draft = z.object({
  subject: SubjectRef,
  title: z.string(),
  body: z.string(),
  action: ActionSchema,
  /** Title of the notice sent when it is healthy again. */
  recovered: z.string(),
  /** Title when it ended by itself at its `endsAt` (a usage window reset); else `recovered` serves. */
  ended: z.optional(z.string()),
});
export type Draft = z.infer<typeof Draft>;

// ---------------------------------------------------------------------------------------
// Subjects of a snapshot

export interface SubjectEval {
  key: string;
  level: Exclude<Attention, 'none'>;
  draft: Draft;
  /**
   * A rank within the level (a usage window's 80 / 95 / 100 %): a higher stage is announced anew,
   * a lower one taken quietly. Absent: the level alone counts.
   */
  stage?: number;
  /**
   * When the condition ends by itself (a usage window's reset), epoch ms. Once passed, its
   * recovery starts a new period: announced whatever the repeat window, which is forgotten.
   */
  endsAt?: number | null;
}

function clock(at: number): string {
  // A host's snapshot may say `1e300`: words for a time no Date holds, not a RangeError.
  return isRepresentableTime(at) ? new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : isoTime(at);
}

function renewOf(p: ProfileView, gatewayName: string | undefined): { command: string; action: NoticeAction } {
  if (p.token?.renewCommand) return { command: p.token.renewCommand, action: 'setup-token' };
  // A login a source keeps current (Claude Code's token-only login) is renewed by logging in there.
  const owner = sourceById(p.source);
  if (owner) return { command: owner.fix, action: 'open-details' };
  // The fix must replace this very profile: `authbar setup-token` alone lands elsewhere.
  return p.provider === 'anthropic'
    ? { command: renewCommandFor(p.profileId), action: 'setup-token' }
    : // AuthBar's token commands take Anthropic tokens only: the gateway's own command takes others.
      {
        command: `${(gatewayName ?? 'the gateway').toLowerCase()} models auth paste-token --provider ${p.provider}`,
        action: 'open-details',
      };
}

function where(agentId: string): string {
  return agentId === 'main' ? '' : ` (agent ${agentId})`;
}

function profileDraft(
  agentId: string,
  p: ProfileView,
  snapshot: Snapshot,
  level: Attention,
  reminder: boolean,
  now: number,
): Draft {
  const subject = { agentId, profileId: p.profileId, provider: p.provider };
  const at = `${where(agentId)}`;
  const refresh = snapshot.refresh.find((r) => r.profileId === p.profileId);
  const recovered = `${p.profileId}${at} is healthy again`;
  if (p.disabledUntil !== null && p.disabledUntil > now) {
    return {
      subject,
      recovered,
      action: 'open-details',
      title: `${p.profileId}${at} is disabled${p.disabledReason ? ` (${p.disabledReason})` : ''}`,
      body: `The gateway will not use it until ${clock(p.disabledUntil)}: check the account (billing), then run authbar status.`,
    };
  }
  if ((refresh && !refresh.ok && refresh.permanent) || p.reasonCode === 'refresh-refused') {
    const owner = sourceById(p.source)?.label;
    return {
      subject,
      recovered,
      action: 'open-details',
      title: owner ? `${owner}'s refresh was refused` : `The refresh of ${p.profileId}${at} was refused`,
      body: owner
        ? `${capitalise(sourceById(p.source)?.loginPhrase ?? 'log in again')}.`
        : `Log in to ${p.provider} again.`,
    };
  }
  if (p.reasonCode === 'source-logged-out') {
    const owner = sourceById(p.source);
    return {
      subject,
      recovered,
      action: 'open-details',
      title: `${owner?.label ?? p.source} is logged out; ${p.profileId}${at} ${p.status === 'expired' ? 'has expired' : 'expires soon'}`,
      body: `${capitalise(owner?.loginPhrase ?? 'log in again')}, then run authbar sync.`,
    };
  }
  if (p.reasonCode === 'refresh-failing') {
    return {
      subject,
      recovered,
      action: 'open-details',
      title: `The refresh of ${p.profileId}${at} keeps failing`,
      body: 'It may recover on its own; check the network, or log in again if it persists.',
    };
  }
  if (p.cooldownUntil !== null && p.cooldownUntil > now && level === 'soon' && p.reasonCode === 'cooldown') {
    return {
      subject,
      recovered,
      action: 'none',
      title: `${p.profileId}${at} is in cooldown`,
      body: `The gateway rotates past it until ${clock(p.cooldownUntil)}; nothing to do unless it keeps happening.`,
    };
  }
  if (p.type === 'token' || (p.type === 'oauth' && !p.refreshable) || p.type === 'api_key') {
    const kind = p.type === 'token' ? 'setup token' : p.type === 'oauth' ? 'login' : 'API key';
    const { command, action } = renewOf(p, snapshot.gateway?.name);
    const expiresAt = p.expiresAt ?? p.token?.expiresAt ?? null;
    if (p.status === 'expired' || (expiresAt !== null && expiresAt <= now)) {
      return {
        subject,
        recovered,
        action,
        title: `${p.provider} ${kind}${at} has expired`,
        body: `Run ${command} to replace it (${p.profileId}).`,
      };
    }
    if (expiresAt !== null && (level !== 'none' || reminder)) {
      return {
        subject,
        recovered,
        action,
        title: `${p.provider} ${kind}${at} expires in ${formatDuration(expiresAt - now)}`,
        body: `Run ${command} to renew it (${p.profileId}).`,
      };
    }
  }
  return {
    subject,
    recovered,
    action: 'open-details',
    title: `${p.profileId}${at}: ${p.reason}`,
    body: 'Run authbar status for details.',
  };
}

const MISSING_ADVICE: Record<string, { body: string; action: NoticeAction }> = {
  anthropic: { body: 'Run authbar setup-token or authbar token add.', action: 'setup-token' },
  'openai-codex': { body: 'Log in with codex login, then run authbar sync.', action: 'resync' },
};

/** The subjects that need attention in this snapshot (healthy ones are simply absent). */
export function subjectsOf(
  snapshot: Snapshot,
  ctx: { now: number; tokenReminderMs: number; utcOffsetMinutes?: number },
): SubjectEval[] {
  const out: SubjectEval[] = [];
  const now = ctx.now;
  if (snapshot.configError) {
    out.push({
      key: 'config',
      level: 'now',
      draft: {
        subject: { agentId: null, profileId: null, provider: null },
        title: 'The gateway config cannot be used',
        body: snapshot.configError,
        action: 'open-details',
        recovered: 'The gateway config is usable again',
      },
    });
  }
  for (const s of snapshot.sources) {
    if (s.attention === 'none') continue;
    const name = sourceLabel(s.id);
    const title =
      s.status === 'unavailable'
        ? `The Keychain did not answer for ${name}`
        : s.status === 'invalid'
          ? `${name}'s credentials cannot be parsed`
          : `${name}'s credentials cannot be read`;
    out.push({
      key: `source:${s.id}`,
      level: s.attention,
      draft: {
        subject: { agentId: null, profileId: s.profileId, provider: null },
        title,
        body: s.error ?? 'Run authbar status for details.',
        action: s.status === 'unavailable' ? 'resync' : 'open-details',
        recovered: `${name}'s credentials are readable again`,
      },
    });
  }
  for (const a of snapshot.agents) {
    if (a.passive !== null) continue;
    if (a.error) {
      out.push({
        key: `store:${a.agentId}`,
        level: 'now',
        draft: {
          subject: { agentId: a.agentId, profileId: null, provider: null },
          title: `Agent ${a.agentId}'s auth store cannot be used`,
          body: a.error,
          action: 'open-store',
          recovered: `Agent ${a.agentId}'s auth store is usable again`,
        },
      });
    }
    if (a.sync.error) {
      out.push({
        key: `sync:${a.agentId}`,
        level: 'soon',
        draft: {
          subject: { agentId: a.agentId, profileId: null, provider: null },
          title: `Agent ${a.agentId} could not be synced`,
          body: a.sync.error,
          action: 'resync',
          recovered: `Agent ${a.agentId} is in sync again`,
        },
      });
    }
    for (const provider of a.missingProviders) {
      const advice = MISSING_ADVICE[provider] ?? {
        body: 'Add one with authbar token add.',
        action: 'open-details' as const,
      };
      out.push({
        key: `provider:${a.agentId}/${provider}`,
        level: 'now',
        draft: {
          subject: { agentId: a.agentId, profileId: null, provider },
          title: `Agent ${a.agentId} has no credential for ${provider}`,
          body: advice.body,
          action: advice.action,
          recovered: `Agent ${a.agentId} has a credential for ${provider} again`,
        },
      });
    }
    for (const p of a.profiles) {
      // The one-year reminder is for setup tokens (those with a token view) only.
      const markAt = p.token ? (p.token.expiresAt ?? p.expiresAt) : null;
      const reminder = markAt !== null && markAt - now <= ctx.tokenReminderMs;
      const level = worst(p.attention, reminder ? 'soon' : 'none');
      if (level === 'none') continue;
      out.push({
        key: `profile:${a.agentId}/${p.profileId}`,
        level,
        draft: profileDraft(a.agentId, p, snapshot, level, reminder, now),
      });
    }
  }
  out.push(...liveSubjectsOf(snapshot, ctx));
  return out;
}

// ---------------------------------------------------------------------------------------
// The policy

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
