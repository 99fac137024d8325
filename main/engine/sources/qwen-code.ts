/** Qwen Code: `~/.qwen/oauth_creds.json`. */
import { readJsonFile, MiB, type FileKind } from '../fs/jsonfile.js';
import { QwenCredsFile, describeIssues, type OAuthCredential } from '../schemas.js';
import {
  statusOfReadError,
  type SourceContext,
  type SourceDescriptor,
  type SourceId,
  type SourceRead,
} from './source.js';

export const qwenCode: SourceDescriptor = {
  id: 'qwen-code',
  label: 'Qwen Code',
  profileId: 'qwen-portal:qwen-cli',
  provider: 'qwen-portal',
  fix: 'qwen',
  loginPhrase: 'log in again with qwen',
  usedBy: ['clawdbot'],
  read: (ctx) => readQwenCode(ctx),
};

const QWEN_FILE: FileKind = {
  label: 'Qwen Code credentials file',
  remedy: 'log in again with `qwen`, which rewrites it',
  maxBytes: 1 * MiB,
};

export async function readQwenCode(ctx: SourceContext): Promise<SourceRead> {
  const id: SourceId = 'qwen-code';
  const location = ctx.paths.qwenCredentials;
  const base = { id, kind: 'file' as const, location, profileId: qwenCode.profileId };
  const read = await readJsonFile(location, QWEN_FILE);
  if (read.kind === 'missing') return { ...base, status: 'absent' };
  if (read.kind === 'error') return { ...base, status: statusOfReadError(read.error), error: read.error.message };
  const parsed = QwenCredsFile.safeParse(read.value);
  if (!parsed.success) {
    return {
      ...base,
      status: 'invalid',
      mtimeMs: read.mtimeMs,
      error: `The Qwen Code credentials file ${location} is not in Qwen's format (${describeIssues(parsed.error)}): log in again with \`qwen\`.`,
    };
  }
  const credential: OAuthCredential = {
    type: 'oauth',
    provider: 'qwen-portal',
    access: parsed.data.access_token,
    refresh: parsed.data.refresh_token,
    expires: parsed.data.expiry_date,
  };
  return { ...base, status: 'ok', credential, expirySource: 'stored', mtimeMs: read.mtimeMs };
}
