/**
 * The tray's "Add token…": the engine's addToken (vault → gateway → state file), its result
 * worded as the one sentence the window shows. The app always keeps a token it lands in the
 * OS keyring (it has no --no-vault): without a keyring it adds nothing and says so.
 * No sentence ever holds the secret: it is shown masked, and every message is scrubbed.
 */
import { describeError } from '../engine/errors.js';
import type { EngineDeps } from '../engine/engine.js';
import type { Landing } from '../engine/tokens/land.js';
import { maskSecret } from '../engine/secrets/mask.js';
import { addToken as engineAddToken, type AddTokenInput, type AddTokenResult } from '../engine/tokens/add.js';
import type { TokenRecord } from '../engine/tokens/state.js';
import { keyringFixAdvice } from '../engine/tokens/vault.js';
import type { ProfileIdProblem } from '../../common/rules.js';
import type { AddTokenRequest, CommandResult } from '../../common/ipc-contract.js';

const DAY_MS = 86_400_000;

export interface AddTokenCommandDeps {
  engine: EngineDeps;
  /** The engine call (a seam for tests of the wording; defaults to the real one). */
  addToken?: (deps: EngineDeps, input: AddTokenInput) => Promise<AddTokenResult>;
}

function where(l: Landing): string {
  return l.label ?? `agent ${l.target}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** An engine sentence continuing one of the app's: "The `openclaw` command …." → "the `openclaw` command …". */
function continuing(sentence: string): string {
  const s = sentence.trim().replace(/\.$/, '');
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** Why a profile id was refused, in the window's words (the engine's name the CLI flag). */
function profileIdWords(problem: ProfileIdProblem, profileId: string | undefined, provider: string): string {
  switch (problem) {
    case 'malformed':
      return `the profile id must look like ${provider}:<name> (letters, digits, . _ - @)`;
    case 'other-provider':
      return `the profile id must start with "${provider}:"`;
    case 'sync-owned':
      return `${profileId ?? 'that profile id'} is kept in step with its own login by \`authbar sync\`: choose another profile id`;
  }
}

/** Why a target did not take the token: by the landing's code where the engine's sentence names a CLI flag. */
function landingWords(l: Landing, profileId: string): string {
  if (l.outcome === 'skipped' && l.skip === 'holds-oauth')
    return `${profileId} holds an OAuth login there; choose another profile id`;
  return continuing(l.detail ?? 'no reason given');
}

function named(r: TokenRecord): string {
  return `${r.profileId} (${r.masked})`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function expiryClause(r: TokenRecord): string {
  return r.expiresAt !== null
    ? `; it expires on ${day(r.expiresAt)}`
    : '; its expiry is unknown, so AuthBar counts its age from today';
}

/** The result as one sentence (secret-free: records hold masked forms only). */
export function describeAddToken(result: AddTokenResult, platform: NodeJS.Platform): CommandResult {
  if (result.ok) {
    const { record, landings, changed, gateway } = result;
    const landed = landings.filter((l) => l.outcome === 'written' || l.outcome === 'unchanged');
    // An agent without a store yet is no refusal while another took it: Clawdbot copies main's into it.
    const refused = landings.filter(
      (l) => l.outcome === 'failed' || (l.outcome === 'skipped' && (landed.length === 0 || l.skip !== 'no-store-yet')),
    );
    if (landings.length === 0) {
      return {
        ok: false,
        error: `Kept ${named(record)} in the OS keyring, but there is no agent under ${gateway.stateDir} to land it in: run \`authbar sync\` once the gateway has one.`,
      };
    }
    if (refused.length > 0) {
      const why = refused
        .map((l: Landing) => `${where(l)} did not take it (${landingWords(l, record.profileId)})`)
        .join('; ');
      const kept =
        landed.length > 0
          ? `kept ${named(record)} in the OS keyring and landed it in ${list(landed.map((l) => where(l)))}, but `
          : `kept ${named(record)} in the OS keyring, but `;
      return { ok: false, error: `${kept.charAt(0).toUpperCase()}${kept.slice(1)}${why}.` };
    }
    const targets = list(landed.map((l) => where(l)));
    if (!changed)
      return { ok: true, message: `${named(record)} is already in the OS keyring and in ${targets}: nothing changed.` };
    return {
      ok: true,
      message: `Added ${named(record)}: kept in the OS keyring and landed in ${targets}${expiryClause(record)}.`,
    };
  }
  switch (result.reason) {
    case 'bad-secret':
      return { ok: false, error: `Not added: ${result.problem ?? continuing(result.message)}.` };
    case 'bad-provider':
      return { ok: false, error: `Not added: ${continuing(result.message)}.` };
    case 'bad-profile-id':
      return {
        ok: false,
        error: `Not added: ${profileIdWords(result.profileIdProblem ?? 'malformed', result.profileId, result.provider ?? 'anthropic')}.`,
      };
    case 'keyring-unavailable': {
      const k = result.keyring ?? { cause: 'unreachable', detail: 'unknown reason' };
      if (k.cause === 'off')
        return {
          ok: false,
          error:
            'Not added: the OS keyring is turned off for AuthBar (AUTHBAR_KEYCHAIN=off), and the app keeps every token it lands there; start AuthBar without it, or use `authbar token add --no-vault` in a terminal.',
        };
      if (k.cause === 'unloadable')
        return {
          ok: false,
          error: `Not added: AuthBar's keyring library could not be loaded (${k.detail}); reinstall AuthBar.`,
        };
      return {
        ok: false,
        error: `Not added: no OS keyring is available to AuthBar (${k.detail}); ${keyringFixAdvice(platform)}, then add the token again.`,
      };
    }
    case 'state-file':
      return { ok: false, error: `Not added: ${continuing(result.message)}.` };
    case 'not-landed':
      return result.record !== null && result.record.inVault
        ? {
            ok: false,
            error: `Kept ${named(result.record)} in the OS keyring, but could not land it: ${continuing(result.message)}.`,
          }
        : { ok: false, error: `Not added: ${continuing(result.message)}.` };
  }
}

/**
 * Whatever a message says, the secret in it (whole or trimmed) becomes its masked form, and
 * so does anything else shaped like an Anthropic credential with a body.
 */
const ANTHROPIC_CREDENTIAL = /(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,8}\d{0,3}-[A-Za-z0-9_-]{8,}/g;
function withoutSecret(result: CommandResult, secret: string): CommandResult {
  const clean = (text: string): string => {
    let out = text;
    for (const s of new Set([secret, secret.trim()])) if (s.length >= 8) out = out.split(s).join(maskSecret(s));
    return out.replace(ANTHROPIC_CREDENTIAL, (m) => maskSecret(m));
  };
  return result.ok ? { ok: true, message: clean(result.message) } : { ok: false, error: clean(result.error) };
}

/** The function the app's EngineService takes as `addToken` (the bridge's `addToken`). */
export function makeAddToken(deps: AddTokenCommandDeps): (req: AddTokenRequest) => Promise<CommandResult> {
  const add = deps.addToken ?? engineAddToken;
  const platform = deps.engine.platform ?? process.platform;
  return async (req) => {
    let result: CommandResult;
    try {
      const outcome = await add(deps.engine, {
        provider: req.provider,
        secret: req.token,
        profileId: req.profileId,
        expiresInMs: req.expiresInDays !== undefined ? req.expiresInDays * DAY_MS : undefined,
        mintedAt: null,
        vault: true,
      });
      result = describeAddToken(outcome, platform);
    } catch (err) {
      result = { ok: false, error: `Not added: ${continuing(describeError(err))}.` };
    }
    return withoutSecret(result, req.token);
  };
}
