/** What AuthBar does and never does under OpenClaw, in words the CLI and the app show. */
export const PASTE_TOKEN_COMMAND = 'openclaw models auth paste-token --provider anthropic';
export const SYNC_NOTHING_WHY =
  "OpenClaw runs Claude through Claude Code's own `claude` binary or a setup token, and refreshes its own logins: a copy of Claude Code's login would be rotated out from under Claude Code, so AuthBar copies nothing into OpenClaw (add a setup token with `openclaw models auth paste-token`).";

/** A provider id as OpenClaw compares them (normalizeProviderId): trimmed, lower case. */
export function providerId(raw: string): string {
  return raw.trim().toLowerCase();
}

/** The copy of Claude Code's login OpenClaw retired: its doctor deletes it, its runtime refuses it. */
export const RETIRED_CLAUDE_CLI_PROFILE = 'anthropic:claude-cli';
