/** Qwen Code: `~/.qwen/oauth_creds.json`. */
import type { SourceDescriptor } from './source.js';

export const qwenCode: SourceDescriptor = {
  id: 'qwen-code',
  label: 'Qwen Code',
  profileId: 'qwen-portal:qwen-cli',
  provider: 'qwen-portal',
  fix: 'qwen',
  loginPhrase: 'log in again with qwen',
  usedBy: ['clawdbot'],
};
