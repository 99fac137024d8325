/** Codex CLI: `$CODEX_HOME/auth.json` (its access token is a JWT whose `exp` is the expiry). */
import type { SourceDescriptor } from './source.js';

export const codexCli: SourceDescriptor = {
  id: 'codex-cli',
  label: 'Codex CLI',
  profileId: 'openai-codex:codex-cli',
  provider: 'openai-codex',
  fix: 'codex login',
  loginPhrase: 'log in again with codex login',
  usedBy: ['clawdbot'],
};
