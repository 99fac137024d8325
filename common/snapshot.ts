/**
 * The snapshot: everything AuthBar knows at one instant. One schema for the CLI's `--json`,
 * the IPC channel to the window and the renderer. It carries secrets only masked.
 */
import * as z from 'zod/mini';
import { LiveView } from './live.js';
export * from './live.js';

export const AttentionSchema = z.enum(['none', 'soon', 'now']);
export const HealthStatusSchema = z.enum(['ok', 'expiring', 'expired', 'missing', 'static']);
const nullableNumber = z.nullable(z.number());
const nullableString = z.nullable(z.string());

/** A setup token's age: gateways store none, so AuthBar records when it first saw each. */
export const TokenAgeView = z.object({
  /** When AuthBar first saw this token (by fingerprint), epoch ms. */
  firstSeenAt: z.number(),
  ageMs: z.number(),
  /** When it was minted, when AuthBar captured it (`authbar setup-token`), else null. */
  mintedAt: nullableNumber,
  /** The expiry: recorded (store, vault, `--expires-in`) or estimated (first seen / minted + 1 year). */
  expiresAt: nullableNumber,
  expiryKind: z.enum(['recorded', 'estimated', 'unknown']),
  inVault: z.boolean(),
  /** The command that renews it, e.g. `authbar setup-token`. */
  renewCommand: z.string(),
});
export type TokenAgeView = z.infer<typeof TokenAgeView>;

export const ProfileView = z.object({
  profileId: z.string(),
  provider: z.string(),
  type: z.enum(['api_key', 'token', 'oauth']),
  status: HealthStatusSchema,
  attention: AttentionSchema,
  reason: z.string(),
  /**
   * Why it has its attention, for code to branch on (`reason` words it): `disabled`,
   * `refresh-refused`, `refresh-failing`, `cooldown`, `no-expiry`, `refreshable`, `expired`,
   * `expiring`, `static`, `valid`, `gateway` (the gateway's own rule), `bad-expiry`.
   */
  reasonCode: z.optional(z.string()),
  expiresAt: nullableNumber,
  remainingMs: nullableNumber,
  /** Which source keeps it current (`claude-code`, `codex-cli`, `qwen-code`), else `store`. */
  source: z.string(),
  refreshable: z.boolean(),
  usable: z.boolean(),
  /** The secret, masked (`sk-ant-oat01-…Xy12`), and a fingerprint to tell two apart. */
  masked: nullableString,
  fingerprint: nullableString,
  email: nullableString,
  cooldownUntil: nullableNumber,
  disabledUntil: nullableNumber,
  disabledReason: nullableString,
  /** False when the source holds a credential this profile should have taken. */
  inStepWithSource: z.nullable(z.boolean()),
  /** For `token` profiles (setup tokens): how old it is and when it dies; null otherwise. */
  token: z.nullable(TokenAgeView),
});
export type ProfileView = z.infer<typeof ProfileView>;

export const SyncChangeView = z.object({
  profileId: z.string(),
  source: z.string(),
  kind: z.enum(['create', 'update', 'upgrade', 'remove-duplicate']),
  reason: z.string(),
});

export const AgentView = z.object({
  agentId: z.string(),
  agentDir: z.string(),
  storePath: z.string(),
  /** The file really written when the store is a symlink; null when it is not. */
  linkTarget: nullableString,
  origin: z.enum(['agents', 'legacy', 'env', 'default']),
  storeStatus: z.enum(['ok', 'missing', 'error']),
  /**
   * Set for a store AuthBar only reads: the legacy single store (Clawdbot 2026.1 ignores
   * it), or a new agent without a store (Clawdbot copies main's into it on first use).
   */
  passive: nullableString,
  /** Why it is passive, for code to branch on: `legacy`, `no-state-dir`, `awaiting-first-use`; null when active. */
  passiveCode: z.optional(z.nullable(z.enum(['legacy', 'no-state-dir', 'awaiting-first-use']))),
  error: nullableString,
  /** What kind of error, for code to branch on: `no-reader` (AuthBar has no way to read this store here; the store may be fine). */
  errorCode: z.optional(z.nullable(z.enum(['no-reader']))),
  attention: AttentionSchema,
  profiles: z.array(ProfileView),
  /** Providers in use for which this agent has no usable credential. */
  missingProviders: z.array(z.string()),
  /** Changes a sync would still make: the store is out of step with its sources. */
  outOfStep: z.array(SyncChangeView),
  /**
   * Source logins not synced because their profile id holds a credential AuthBar did not
   * write (an API key, another provider's login): left in place, reported.
   */
  heldBack: z.optional(z.array(z.object({ profileId: z.string(), source: z.string(), reason: z.string() }))),
  /** Entries Clawdbot ignores (no valid type or provider), kept as they are. */
  ignoredEntries: z.array(z.string()),
  sync: z.object({
    mode: z.enum(['applied', 'dry-run', 'skipped']),
    wrote: z.boolean(),
    changes: z.array(SyncChangeView),
    error: nullableString,
    /** What kind of failure (`lock-failed`, `write-failed`, …) when `error` is set. */
    errorCode: nullableString,
  }),
});
export type AgentView = z.infer<typeof AgentView>;

export const SourceView = z.object({
  id: z.string(),
  /** Its display name (`Claude Code`), from the engine's source registry. */
  label: z.optional(z.string()),
  /** The command that logs it in again (`claude`, `codex login`), from the source registry. */
  fix: z.optional(z.string()),
  kind: z.enum(['file', 'keychain']),
  path: z.string(),
  status: z.enum(['ok', 'absent', 'logged-out', 'invalid', 'unreadable', 'unavailable']),
  profileId: z.string(),
  type: z.nullable(z.enum(['oauth', 'token'])),
  expiresAt: nullableNumber,
  remainingMs: nullableNumber,
  expirySource: z.nullable(z.enum(['stored', 'jwt', 'mtime'])),
  masked: nullableString,
  fingerprint: nullableString,
  attention: AttentionSchema,
  error: nullableString,
});
export type SourceView = z.infer<typeof SourceView>;

/** Room for the refresh engine: the last outcome per credential. */
export const RefreshView = z.object({
  profileId: z.string(),
  at: z.number(),
  ok: z.boolean(),
  permanent: z.boolean(),
  consecutiveFailures: z.number(),
  error: nullableString,
});

/** Route health as the gateway's own CLI reported it (`openclaw models status --json`). */
export const GatewayCheckView = z.object({
  /** When the check finished, epoch ms, and how old it is at `generatedAt`. */
  at: z.number(),
  ageMs: z.number(),
  /** The CLI's exit code (0 fine, 1 a route is broken, 2 expiring); null when it did not run to the end. */
  exitCode: nullableNumber,
  missingProviders: z.array(z.string()),
  /** One short line per route issue the gateway reported. */
  issues: z.array(z.string()),
  /** Why the check failed, one sentence; null when it ran. */
  error: nullableString,
});
export type GatewayCheckView = z.infer<typeof GatewayCheckView>;

/** Room for the long-running monitor: what it watches and when it last looked. */
export const MonitorView = z.object({
  running: z.boolean(),
  startedAt: nullableNumber,
  lastScanAt: nullableNumber,
  watching: z.array(z.string()),
  /** When a watched file last changed (epoch ms). */
  lastEventAt: z.optional(nullableNumber),
  /** The next instant a status or attention changes by time alone, and what changes then. */
  nextDeadlineAt: z.optional(nullableNumber),
  nextDeadlineReason: z.optional(nullableString),
  /** Under OpenClaw: the last `openclaw models status --json`, with its age. */
  gatewayCheck: z.optional(z.nullable(GatewayCheckView)),
});
export type MonitorView = z.infer<typeof MonitorView>;

/** Open: a gateway registered in the engine needs no edit here (`clawdbot`, `openclaw`, …). */
export const GatewayKindSchema = z.string();
export type GatewayKind = z.infer<typeof GatewayKindSchema>;

/** Which gateway this host runs, and how AuthBar knows. */
export const GatewayView = z.object({
  kind: GatewayKindSchema,
  /** Display name: `OpenClaw`, `Clawdbot`. */
  name: z.optional(z.string()),
  /** Display name with the version when known: `OpenClaw 2026.9.6`, `Clawdbot`. */
  label: z.optional(z.string()),
  /** True when `sync` copies source logins into this gateway's stores (Clawdbot); false: it copies nothing. */
  syncCopiesLogins: z.optional(z.boolean()),
  /** When sync copies nothing: why, one sentence. */
  syncNote: z.optional(nullableString),
  /** The gateway's own command that takes a setup token, when it has one a user should run. */
  tokenCommand: z.optional(nullableString),
  /** True when the gateway has its own route-health check, which the monitor polls (OpenClaw). */
  probesRoutes: z.optional(z.boolean()),
  /** The gateway's version when known, else null. */
  version: nullableString,
  stateDir: z.string(),
  configPath: z.string(),
  /** One sentence: how it was detected (`AUTHBAR_GATEWAY=openclaw`, `~/.openclaw/openclaw.json exists`, …). */
  detectedBy: z.string(),
  /** Where the profiles came from: JSON files (Clawdbot's, or another gateway's), OpenClaw's SQLite, or its CLI. */
  dataVia: z.enum(['json-files', 'sqlite', 'gateway-cli', 'none']),
  /** Set when both gateways were found (which one was not chosen, and why), or data came a degraded way. */
  note: nullableString,
});
export type GatewayView = z.infer<typeof GatewayView>;

/** AuthBar's own vault (the OS keychain): availability and the tokens it holds, masked. */
export const VaultView = z.object({
  available: z.boolean(),
  /** Why not, in one sentence, when unavailable. */
  reason: nullableString,
  entries: z.array(
    z.object({
      profileId: z.string(),
      provider: z.string(),
      masked: z.string(),
      fingerprint: z.string(),
      addedAt: z.number(),
      mintedAt: nullableNumber,
      expiresAt: nullableNumber,
      /** Where it has landed: agent ids (Clawdbot) or `openclaw` / `openclaw:<agent>`. */
      landedIn: z.array(z.string()),
    }),
  ),
});
export type VaultView = z.infer<typeof VaultView>;

export const Snapshot = z.object({
  schemaVersion: z.literal(1),
  generatedAt: z.number(),
  gateway: GatewayView,
  warnMs: z.number(),
  stateDir: z.string(),
  configPath: z.string(),
  configError: nullableString,
  providersInUse: z.array(z.string()),
  overall: z.object({
    attention: AttentionSchema,
    /** Short sentences saying why, worst first; empty when all is well. */
    reasons: z.array(z.string()),
    /** What `clawdbot models status --check` would exit with on these files. */
    gatewayCheckCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  }),
  sources: z.array(SourceView),
  agents: z.array(AgentView),
  refresh: z.array(RefreshView),
  monitor: z.nullable(MonitorView),
  vault: z.nullable(VaultView),
  /** Set when the system clock is obviously wrong (one sentence); every expiry is then suspect. */
  clockProblem: z.optional(z.nullable(z.string())),
  /** Agent ids the settings ask for that do not exist (never silently dropped). */
  unknownAgents: z.optional(z.array(z.string())),
  /** Sentences about the settings' agents list (unknown ids, an empty list); each also a reason. */
  settingsProblems: z.optional(z.array(z.string())),
  /** Names under `<state>/agents` that are not agent ids the gateway would use: skipped. */
  skippedAgentDirs: z.optional(z.array(z.string())),
  /** The running gateway's own view (OpenClaw); absent where nobody asked (e.g. `sync`). */
  live: z.optional(z.nullable(LiveView)),
});
export type Snapshot = z.infer<typeof Snapshot>;
