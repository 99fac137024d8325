/**
 * Every source AuthBar reads, with its label, profile id, provider and login command: the one
 * table front ends and the engine word sources from (the snapshot's SourceView carries label
 * and fix). Adding a source: a file beside this one, a line here, and its reader in sources.ts.
 */
import { claudeCode } from './claude-code.js';
import { codexCli } from './codex-cli.js';
import { qwenCode } from './qwen-code.js';
import type { SourceDescriptor } from './source.js';

export type { SourceDescriptor };

export const SOURCES: readonly SourceDescriptor[] = [claudeCode, codexCli, qwenCode];

// A Map: an id such as `constructor` from a file must not find Object.prototype's.
const byId = new Map(SOURCES.map((s) => [s.id, s]));
const byProfile = new Map(SOURCES.map((s) => [s.profileId, s]));

export function sourceById(id: string): SourceDescriptor | undefined {
  return byId.get(id);
}

/** The source whose login a profile id holds, if any. */
export function sourceByProfileId(profileId: string): SourceDescriptor | undefined {
  return byProfile.get(profileId);
}

/** The label of a source id; any other string (from a file) is shown as it is. */
export function sourceLabel(id: string): string {
  return byId.get(id)?.label ?? id;
}

/** Profile ids the sources' logins own: a handed-in token must not take their place. */
export const SOURCE_PROFILE_IDS: ReadonlySet<string> = new Set(SOURCES.map((s) => s.profileId));
