/**
 * The fallback reader: OpenClaw's own `openclaw models status --json --check` (never the
 * text mode, which writes to OpenClaw's store), once per agent. Slow (2–3 s a call) but
 * right on any Node and any schema. `--json` is not read-only either on 2026.9.6 (it records
 * config health in state/openclaw.sqlite), so it runs against a private copy of the state.
 */
import * as z from 'zod/mini';
import { findGatewayCli, gatewayCli } from '../cli-runner.js';
import { detectGateway } from '../registry.js';
import type { Env } from '../../ports.js';
import { sqliteAvailable } from './sqlite-read.js';
import { makePrivateCopy, type PrivateCopy } from './private-copy.js';
import type { DetectedGateway } from '../types.js';
import type { AgentView, ProfileView } from '../../../../common/snapshot.js';
import type { GatewayRead, GatewayReadContext } from '../types.js';

const StatusJson = z.looseObject({
  auth: z.looseObject({
    missingProvidersInUse: z.optional(z.array(z.string())),
    providers: z.optional(
      z.array(z.looseObject({ profiles: z.optional(z.looseObject({ labels: z.optional(z.array(z.string())) })) })),
    ),
    oauth: z.looseObject({
      profiles: z.array(
        z.looseObject({
          profileId: z.string(),
          provider: z.string(),
          type: z.enum(['api_key', 'token', 'oauth']),
          status: z.enum(['ok', 'expiring', 'expired', 'missing', 'static']),
          expiresAt: z.optional(z.nullable(z.number())),
          remainingMs: z.optional(z.nullable(z.number())),
        }),
      ),
    }),
  }),
});
const ErrorJson = z.looseObject({ ok: z.literal(false), error: z.looseObject({ message: z.string() }) });

export interface CliAgent {
  agentId: string;
  agentDir: string;
  origin: AgentView['origin'];
  dbPath: string;
}

/**
 * OpenClaw's labels read `<id>=<type>:<first 8>...<last 8>`: the masked form AuthBar shows is
 * the head and the last four, enough to tell a vault token's copy without the secret.
 */
function maskedFromLabels(labels: readonly string[], profileId: string): string | null {
  for (const label of labels) {
    if (!label.startsWith(`${profileId}=`)) continue;
    const masked = label.slice(label.indexOf(':', profileId.length + 1) + 1);
    const i = masked.lastIndexOf('...');
    if (i === -1 || masked.length - (i + 3) < 4) continue;
    return `${masked.slice(0, i)}…${masked.slice(-4)}`;
  }
  return null;
}

function firstJson(text: string): unknown {
  const i = text.indexOf('{');
  if (i === -1) return undefined;
  try {
    return JSON.parse(text.slice(i));
  } catch {
    return undefined;
  }
}

/**
 * What is true when this Node has no node:sqlite and no `openclaw` command is found: AuthBar
 * cannot read OpenClaw here. Nothing is wrong with OpenClaw's store (no OpenClaw repair fits).
 */
export function noOpenClawReader(node: string = process.version): string {
  return `AuthBar cannot read OpenClaw's stores on this Node (${node} has no node:sqlite) and found no \`openclaw\` command to ask: run AuthBar on Node ≥ 22.13, or put \`openclaw\` on PATH or set its full path as "gatewayCli" in AuthBar's settings.`;
}

/** The sentence above when it applies to this process on this host (install-service warns with it); else null. */
export function openClawUnreadableHere(env: Env, gatewayCli: string | null): string | null {
  if (detectGateway(env, { gatewayCli }).kind !== 'openclaw') return null;
  if (sqliteAvailable() !== null || findGatewayCli('openclaw', env, gatewayCli) !== null) return null;
  return noOpenClawReader();
}

export async function readViaGatewayCli(
  detected: DetectedGateway,
  ctx: GatewayReadContext,
  agents: CliAgent[],
): Promise<Pick<GatewayRead, 'agents' | 'check' | 'reasons'> & { note: string | null }> {
  const bin = findGatewayCli('openclaw', ctx.env, ctx.settings.gatewayCli);
  const idle = { mode: 'skipped' as const, wrote: false, changes: [], error: null, errorCode: null };
  const blank = (a: CliAgent, error: string, errorCode: AgentView['errorCode'] = null): AgentView => ({
    agentId: a.agentId,
    agentDir: a.agentDir,
    storePath: a.dbPath,
    linkTarget: null,
    origin: a.origin,
    storeStatus: 'error',
    passive: null,
    error,
    errorCode,
    attention: 'now',
    profiles: [],
    missingProviders: [],
    outOfStep: [],
    ignoredEntries: [],
    sync: idle,
  });
  if (!bin) {
    const error = noOpenClawReader();
    return {
      agents: agents.map((a) => blank(a, error, 'no-reader')),
      check: 1,
      reasons: [{ attention: 'now', text: error }],
      note: null,
    };
  }
  const cli = gatewayCli('openclaw', bin, ctx.env);
  let copy: PrivateCopy;
  try {
    copy = await makePrivateCopy(
      ctx.env,
      agents.map((a) => a.agentDir),
    );
  } catch (err) {
    const error = `OpenClaw's stores could not be copied aside to ask \`openclaw models status --json\` about them without it writing there (${err instanceof Error ? err.message : String(err)}): check that AuthBar can read OpenClaw's state dir, or run AuthBar on Node ≥ 22.13.`;
    return {
      agents: agents.map((a) => blank(a, error)),
      check: 1,
      reasons: [{ attention: 'now', text: error }],
      note: null,
    };
  }
  let results;
  try {
    results = await Promise.all(
      agents.map(async (a) => {
        const args = ['models', 'status', '--json', '--check', ...(a.agentId === 'main' ? [] : ['--agent', a.agentId])];
        try {
          const r = await cli.run(args, { timeoutMs: 60_000, env: copy.env });
          return { a, r: { ...r, stdout: copy.mapBack(r.stdout), stderr: copy.mapBack(r.stderr) } };
        } catch (err) {
          return { a, r: null, err: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
  } finally {
    copy.dispose();
  }
  const views: AgentView[] = [];
  const codes: number[] = [];
  for (const { a, r, err } of results as Array<{
    a: CliAgent;
    r: Awaited<ReturnType<typeof cli.run>> | null;
    err?: string;
  }>) {
    if (!r) {
      views.push(blank(a, `\`${bin} models status --json\` could not run (${err}).`));
      codes.push(1);
      continue;
    }
    codes.push(r.code === 0 || r.code === 2 ? r.code : 1);
    const json = firstJson(r.stdout);
    const parsed = StatusJson.safeParse(json);
    if (!parsed.success) {
      const e = ErrorJson.safeParse(json);
      views.push(
        blank(
          a,
          e.success
            ? `OpenClaw says: ${e.data.error.message}`
            : `\`openclaw models status --json\` gave no status for agent ${a.agentId} (exit ${r.code}).`,
        ),
      );
      continue;
    }
    const labels = (parsed.data.auth.providers ?? []).flatMap((x) => x.profiles?.labels ?? []);
    const profiles: ProfileView[] = parsed.data.auth.oauth.profiles.map((p) => {
      const bad = p.status === 'expired' || p.status === 'missing';
      return {
        profileId: p.profileId,
        provider: p.provider,
        type: p.type,
        status: p.status,
        // Without the stored credential AuthBar cannot tell a refreshable login from a dead token: judged by status.
        attention: bad
          ? p.type === 'oauth'
            ? 'soon'
            : 'now'
          : p.status === 'expiring' && p.type !== 'oauth'
            ? 'soon'
            : 'none',
        reason: p.status === 'static' ? 'does not expire' : p.status,
        expiresAt: p.expiresAt ?? null,
        remainingMs: p.remainingMs ?? null,
        source: 'store',
        refreshable: p.type === 'oauth',
        usable: !bad,
        masked: maskedFromLabels(labels, p.profileId),
        fingerprint: null,
        email: null,
        cooldownUntil: null,
        disabledUntil: null,
        disabledReason: null,
        inStepWithSource: null,
        token: null,
      };
    });
    const missing = parsed.data.auth.missingProvidersInUse ?? [];
    views.push({
      agentId: a.agentId,
      agentDir: a.agentDir,
      storePath: a.dbPath,
      linkTarget: null,
      origin: a.origin,
      storeStatus: profiles.length > 0 ? 'ok' : 'missing',
      passive: null,
      error: null,
      attention:
        missing.length > 0
          ? 'now'
          : profiles.some((p) => p.attention === 'now')
            ? 'now'
            : profiles.some((p) => p.attention === 'soon')
              ? 'soon'
              : 'none',
      profiles,
      missingProviders: missing,
      outOfStep: [],
      ignoredEntries: [],
      sync: idle,
    });
  }
  const check = codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0;
  void detected;
  return { agents: views, check, reasons: [], note: `Asked ${bin}.` };
}
