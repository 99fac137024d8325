/**
 * Comparing a sink AuthBar wrote with the sink Clawdbot wrote from the same files.
 *
 * Clawdbot rewrites a store through `coerceAuthStore`: it keeps only `version, profiles,
 * order, lastGood, usageStats`, drops profiles without a valid `type`/`provider`, and
 * replaces a synced profile whole. AuthBar deliberately keeps every key it does not own
 * (DESIGN §2), so the comparison is on Clawdbot's key set, and every extra key AuthBar
 * holds must be one the input already had, unchanged.
 */
import assert from 'node:assert/strict';

/** The store sections Clawdbot writes. */
export const CLAWDBOT_SECTIONS = ['version', 'profiles', 'order', 'lastGood', 'usageStats'] as const;

/** Fields a credential's owner defines: AuthBar may not keep a stale one Clawdbot dropped. */
const CREDENTIAL_KEYS = new Set([
  'type',
  'provider',
  'access',
  'refresh',
  'expires',
  'email',
  'accountId',
  'projectId',
  'enterpriseUrl',
  'token',
  'key',
]);

export const CODEX_PROFILE = 'openai-codex:codex-cli';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Clawdbot's rule for an entry it keeps (coerceAuthStore): an object with a known type and a truthy provider. */
export function clawdbotKeeps(entry: unknown): boolean {
  return (
    isObject(entry) && ['api_key', 'oauth', 'token'].includes(entry['type'] as string) && Boolean(entry['provider'])
  );
}

/**
 * Asserts AuthBar's sink holds what Clawdbot's holds. `original` is the store both started
 * from (undefined when there was none). Codex's `expires` is compared by the caller: Clawdbot
 * guesses mtime + 1 h, AuthBar reads the JWT's `exp`.
 */
export function assertSameSink(label: string, authbar: unknown, clawdbot: unknown, original: unknown): void {
  if (authbar === undefined || clawdbot === undefined) {
    assert.equal(
      authbar === undefined,
      clawdbot === undefined,
      `${label}: ${authbar === undefined ? 'AuthBar' : 'Clawdbot'} left no store where the other wrote one`,
    );
    return;
  }
  assert.ok(isObject(authbar), `${label}: AuthBar's store is not an object`);
  assert.ok(isObject(clawdbot), `${label}: Clawdbot's store is not an object`);
  const orig = isObject(original) ? original : {};

  for (const key of Object.keys(clawdbot)) {
    if (key === 'profiles') continue;
    assert.deepEqual(authbar[key], clawdbot[key], `${label}: top-level "${key}" differs`);
  }
  for (const key of Object.keys(authbar)) {
    if (key in clawdbot) continue;
    assert.ok(
      !(CLAWDBOT_SECTIONS as readonly string[]).includes(key),
      `${label}: AuthBar wrote a "${key}" section Clawdbot did not`,
    );
    assert.deepEqual(
      authbar[key],
      orig[key],
      `${label}: AuthBar's unknown top-level key "${key}" is not the input's, unchanged`,
    );
  }

  const abProfiles = authbar['profiles'];
  const cbProfiles = clawdbot['profiles'];
  assert.ok(isObject(abProfiles) && isObject(cbProfiles), `${label}: a store has no profiles object`);
  const origProfiles = isObject(orig['profiles']) ? orig['profiles'] : {};

  for (const [id, cb] of Object.entries(cbProfiles)) {
    const ab: unknown = abProfiles[id];
    assert.ok(isObject(ab), `${label}: AuthBar's store lacks profile ${id} that Clawdbot's has`);
    assert.ok(isObject(cb));
    const origProfile = origProfiles[id];
    for (const key of Object.keys(cb)) {
      if (id === CODEX_PROFILE && key === 'expires') continue;
      assert.deepEqual(ab[key], cb[key], `${label}: ${id}.${key} differs`);
    }
    for (const key of Object.keys(ab)) {
      if (key in cb || (id === CODEX_PROFILE && key === 'expires')) continue;
      assert.ok(
        !CREDENTIAL_KEYS.has(key),
        `${label}: AuthBar's ${id} keeps credential field "${key}" that Clawdbot's does not have`,
      );
      assert.ok(isObject(origProfile), `${label}: AuthBar's ${id} has an extra key "${key}" the input never had`);
      assert.deepEqual(
        ab[key],
        origProfile[key],
        `${label}: AuthBar's ${id}.${key} is not the input's foreign key, unchanged`,
      );
    }
  }
  for (const [id, ab] of Object.entries(abProfiles)) {
    if (id in cbProfiles) continue;
    assert.ok(id in origProfiles, `${label}: AuthBar created profile ${id} that Clawdbot did not`);
    assert.ok(!clawdbotKeeps(origProfiles[id]), `${label}: AuthBar kept profile ${id} that Clawdbot removed`);
    assert.deepEqual(ab, origProfiles[id], `${label}: AuthBar changed the entry ${id} that Clawdbot ignores`);
  }
}
