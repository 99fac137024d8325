/** The live view of the running OpenClaw gateway, as the snapshot carries it (`snapshot.live`). */
import * as z from 'zod/mini';

const nullableNumber = z.nullable(z.number());
const nullableString = z.nullable(z.string());

/**
 * What the running OpenClaw gateway itself says (`models.authStatus` over its WebSocket):
 * its live verdict per provider, usage windows, and where it disagrees with the files.
 * `state`: `connected` (an answer, maybe with no providers while its catalog loads: see
 * `reasonCode`), `not-running` (nothing listens), `refused` (wrong token, not paired, scope),
 * `unavailable` (AuthBar cannot ask here: no WebSocket in this Node, no keyring for the device
 * identity, a timeout, an answer it cannot read), `off` (the setting, or not OpenClaw).
 */
export const LiveStateSchema = z.enum(['connected', 'not-running', 'refused', 'unavailable', 'off']);
export type LiveState = z.infer<typeof LiveStateSchema>;

export const LiveUsageWindowView = z.object({
  /** The gateway's label: `5h`, `Week`, `Opus`, a model's name, extra usage. */
  label: z.string(),
  /** 0–100 (can exceed 100 when a window is over its limit). */
  usedPercent: z.number(),
  /** When the window resets, epoch ms; null when the gateway does not say. */
  resetsAt: nullableNumber,
});
export type LiveUsageWindowView = z.infer<typeof LiveUsageWindowView>;

export const LiveProfileView = z.object({
  profileId: z.string(),
  /** The gateway's word: `ok`, `expiring`, `expired`, `missing`, `static` (others passed through). */
  status: z.string(),
  type: nullableString,
  reasonCode: nullableString,
  expiresAt: nullableNumber,
});
export type LiveProfileView = z.infer<typeof LiveProfileView>;

export const LiveProviderView = z.object({
  provider: z.string(),
  /** The gateway's display name (`Claude`), else null. */
  displayName: nullableString,
  status: z.string(),
  expiresAt: nullableNumber,
  profiles: z.array(LiveProfileView),
  usage: z.array(LiveUsageWindowView),
  /** The subscription plan when the gateway knows it. */
  plan: nullableString,
  /** Why `usage` is empty, one sentence, when the provider has usage windows at all; null otherwise. */
  usageNote: nullableString,
});
export type LiveProviderView = z.infer<typeof LiveProviderView>;

/** A profile the files and the running gateway judge differently, with the command that reconciles them. */
export const LiveDisagreementView = z.object({
  profileId: z.string(),
  provider: z.string(),
  /** The file verdict (`ok`, `expiring`, `expired`, `missing`, `static`), or `absent`. */
  files: z.string(),
  /** The gateway's verdict, or `absent` when it does not list the profile. */
  gateway: z.string(),
  /** One sentence: what differs. */
  text: z.string(),
  /** What makes them agree: a command or an instruction. */
  fix: z.string(),
});
export type LiveDisagreementView = z.infer<typeof LiveDisagreementView>;

export const LiveView = z.object({
  state: LiveStateSchema,
  /**
   * Why this state, for code: `loading` (connected, catalog still loading), `no-credentials`,
   * `token-mismatch`, `pairing-required`, `scope`, `no-websocket`, `no-keyring`, `timeout`,
   * `protocol`, `setting`, `not-openclaw`; null when connected and answered.
   */
  reasonCode: nullableString,
  /** One sentence on the state (never a secret); null when connected and answered. */
  message: nullableString,
  /** What to do about it; null when nothing is to be done. */
  fix: nullableString,
  /** When the gateway answered (or the attempt ended), epoch ms; null when never asked. */
  checkedAt: nullableNumber,
  gateway: z.nullable(z.object({ url: z.string(), version: nullableString })),
  /** The agent the answer is for (the gateway's default agent when null). */
  agentId: z.optional(nullableString),
  providers: z.array(LiveProviderView),
  disagreements: z.array(LiveDisagreementView),
});
export type LiveView = z.infer<typeof LiveView>;
