/** A source as the snapshot shows it: masked, with its label and login command from the registry. */
import type { SourceView } from '../../../common/snapshot.js';
import { fingerprint, maskSecret } from '../secrets/mask.js';
import { sourceById } from './registry.js';
import type { SourceRead } from './sources.js';

export function sourceView(read: SourceRead, now: number): SourceView {
  const cred = read.credential;
  const secret = cred ? (cred.type === 'oauth' ? cred.access : cred.token) : undefined;
  const expiresAt = cred?.expires ?? null;
  const broken = read.status === 'invalid' || read.status === 'unreadable' || read.status === 'unavailable';
  const descriptor = sourceById(read.id);
  return {
    id: read.id,
    ...(descriptor ? { label: descriptor.label, fix: descriptor.fix } : {}),
    kind: read.kind,
    path: read.location,
    status: read.status,
    profileId: read.profileId,
    type: cred?.type ?? null,
    expiresAt,
    remainingMs: expiresAt === null ? null : expiresAt - now,
    expirySource: read.expirySource ?? null,
    masked: secret ? maskSecret(secret) : null,
    fingerprint: secret ? fingerprint(secret) : null,
    attention: broken ? 'soon' : 'none',
    error: read.error ?? null,
  };
}
