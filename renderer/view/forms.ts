/**
 * The checks run on what the user types, by the shared rules (common/rules.ts), in the
 * window's words: what the window accepts, the main process and the engine accept too.
 */
import {
  checkProfileId as profileIdProblem,
  checkSecret,
  EXPIRES_IN_MAX_DAYS,
  inSettingBounds,
  isExpiresInDays,
  isTerminalName,
  settingRange,
  type SecretKind,
  type SecretProblem,
} from '../../common/rules.js';
import type { Settings, SettingsPatch } from '../../common/settings.js';
import { shown } from './text.js';

export type TokenCheck = { ok: true; token: string; kind: SecretKind } | { ok: false; error: string };

/** What is wrong with a pasted token, in the window's words (never repeating any of it). */
function tokenError(p: SecretProblem): string {
  switch (p.code) {
    case 'empty':
      return 'Paste a token first: the field is empty.';
    case 'line-break':
    case 'whitespace':
      return `The token has a space or line break at character ${p.at}: paste it as one piece.`;
    case 'too-long':
      return `The token is ${p.length} characters long, far more than any Anthropic token: copy it again on its own.`;
    case 'refresh-token':
      return 'This is a refresh token, not a setup token: run `claude setup-token` and paste the token it prints (sk-ant-oat01-…).';
    case 'wrong-prefix':
      return 'This is not an Anthropic setup token (sk-ant-oat01-…) or API key (sk-ant-api…): check what you copied.';
    case 'bad-characters':
      return `Character ${p.at} is not allowed: a token holds only letters, digits, - and _.`;
    case 'too-short':
      return `Too short for ${p.kind === 'setup-token' ? 'a setup token' : 'an API key'}: ${p.length} characters, at least ${p.minLength} expected. It may have been cut off when copied.`;
  }
}

/**
 * Checks a pasted token before anything is sent, by the engine's own rule (common/rules.ts):
 * what the window accepts, `authbar token add` accepts too.
 */
export function checkToken(raw: string): TokenCheck {
  const checked = checkSecret(raw);
  return checked.ok
    ? { ok: true, token: checked.secret, kind: checked.kind }
    : { ok: false, error: tokenError(checked.problem) };
}

/** The optional profile id of the Add-token form: empty leaves the choice to AuthBar. */
export function checkProfileId(
  raw: string,
): { ok: true; profileId: string | undefined } | { ok: false; error: string } {
  const id = raw.trim();
  if (id === '') return { ok: true, profileId: undefined };
  switch (profileIdProblem(id, 'anthropic')) {
    case null:
      return { ok: true, profileId: id };
    case 'sync-owned':
      return {
        ok: false,
        error: `${shown(id, 80)} is kept in step with its own login by AuthBar's sync: choose another profile, or leave it empty.`,
      };
    default:
      return {
        ok: false,
        error:
          'The profile must look like anthropic:name (letters, digits, . _ @ -, starting with a letter or digit), or be left empty.',
      };
  }
}

export function checkExpiresInDays(raw: string): { ok: true; days: number | undefined } | { ok: false; error: string } {
  const text = raw.trim();
  if (text === '') return { ok: true, days: undefined };
  if (!/^\d+$/.test(text) || !isExpiresInDays(Number(text)))
    return {
      ok: false,
      error: `Expires in must be a whole number of days from 1 to ${EXPIRES_IN_MAX_DAYS}, or be left empty.`,
    };
  return { ok: true, days: Number(text) };
}

/** The settings form's fields, as typed. */
export interface SettingsForm {
  warnHours: string;
  notifications: boolean;
  allAgents: boolean;
  agents: string[];
  terminal: string;
  tokenReminderDays: string;
}

function sameAgents(a: string[] | null, b: string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

/** The patch of what changed, or the first field that is wrong (named as on screen). */
export function settingsPatch(
  current: Settings,
  form: SettingsForm,
): { ok: true; patch: SettingsPatch } | { ok: false; error: string; field: keyof SettingsForm } {
  const warn = Number(form.warnHours.trim());
  if (form.warnHours.trim() === '' || !inSettingBounds('warnHours', warn)) {
    return {
      ok: false,
      field: 'warnHours',
      error: `Warn window must be ${settingRange('warnHours')}.`,
    };
  }
  const days = Number(form.tokenReminderDays.trim());
  if (form.tokenReminderDays.trim() === '' || !inSettingBounds('tokenReminderDays', days)) {
    return {
      ok: false,
      field: 'tokenReminderDays',
      error: `Token reminder must be ${settingRange('tokenReminderDays')}.`,
    };
  }
  if (!form.allAgents && form.agents.length === 0)
    return { ok: false, field: 'agents', error: 'Choose at least one agent to manage, or manage all agents.' };
  const terminal = form.terminal.trim();
  if (!isTerminalName(terminal))
    return { ok: false, field: 'terminal', error: 'Terminal app must be a name or path on one line.' };
  const agents = form.allAgents ? null : [...form.agents];
  const patch: SettingsPatch = {};
  if (warn !== current.warnHours) patch.warnHours = warn;
  if (form.notifications !== current.notifications) patch.notifications = form.notifications;
  if (!sameAgents(agents, current.agents)) patch.agents = agents;
  if ((terminal === '' ? null : terminal) !== current.terminal) patch.terminal = terminal === '' ? null : terminal;
  if (days !== current.tokenReminderDays) patch.tokenReminderDays = days;
  return { ok: true, patch };
}
