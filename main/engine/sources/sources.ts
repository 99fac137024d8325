/**
 * Sources: credential stores other programs own. Each source's file (claude-code.ts,
 * codex-cli.ts, qwen-code.ts) reads its own; this module reads them all and re-exports the
 * shapes the rest of the engine uses.
 */
import { SOURCES } from './registry.js';
import type { SourceContext, SourceId, SourceRead } from './source.js';

export type { SourceContext, SourceId, SourceRead, SourceStatus } from './source.js';
export { readClaudeCode } from './claude-code.js';
export { jwtExpiry } from './codex-cli.js';

/** Each source's login profile id, by source id. */
export const SOURCE_PROFILE: Record<SourceId, string> = Object.fromEntries(
  SOURCES.map((s) => [s.id, s.profileId]),
) as Record<SourceId, string>;

export async function readAllSources(ctx: SourceContext): Promise<SourceRead[]> {
  return Promise.all(SOURCES.map((s) => s.read(ctx)));
}
