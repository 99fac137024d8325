/**
 * Everything that crosses IPC in the app tests (invoke arguments and answers, messages sent to
 * the window) is recorded here by the fakes; `assertNothingSecretCrossed` fails when any of it
 * holds a token-shaped string or a secret a fixture issued. Every app test file calls it after
 * its tests, so the rule holds across the whole app suite.
 */
import assert from 'node:assert/strict';
import { issuedSecrets } from './home.js';

export const ipcCrossings: Array<{ direction: 'to-main' | 'to-window'; channel: string; payload: unknown }> = [];

export function recordCrossing(direction: 'to-main' | 'to-window', channel: string, payload: unknown): void {
  ipcCrossings.push({ direction, channel, payload });
}

/** Token shapes: Anthropic keys and tokens, OpenAI keys, JWTs, long opaque runs. */
export const TOKEN_SHAPES: RegExp[] = [
  /sk-ant-[a-z]+\d*-[A-Za-z0-9_-]{16,}/,
  /sk-(?:proj-)?[A-Za-z0-9_-]{32,}/,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  /rt_[A-Za-z0-9]{32,}/,
];

export function findTokenShaped(value: unknown, extra: Iterable<string> = []): string[] {
  const text = JSON.stringify(value) ?? '';
  const hits: string[] = [];
  for (const re of TOKEN_SHAPES) {
    const m = re.exec(text);
    if (m) hits.push(m[0].slice(0, 16) + '…');
  }
  for (const s of [...issuedSecrets, ...extra]) if (s.length >= 12 && text.includes(s)) hits.push(s.slice(0, 16) + '…');
  return hits;
}

/**
 * A token goes main-ward on one channel only, addToken's request (that is its purpose);
 * nothing token-shaped may cross anywhere else, and never toward the window.
 */
export function assertNothingSecretCrossed(): void {
  for (const c of ipcCrossings) {
    if (c.direction === 'to-main' && c.channel === 'authbar:add-token') continue;
    assert.deepEqual(
      findTokenShaped(c.payload),
      [],
      `a token-shaped string crossed IPC (${c.direction}, ${c.channel})`,
    );
  }
}
