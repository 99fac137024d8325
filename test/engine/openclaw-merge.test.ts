/**
 * How an agent's own OpenClaw store layers over the shared one, as OpenClaw 2026.9.6 merges
 * them (found by the differential states, seed 13 index 0: an agent holding an expired OAuth
 * under the shared token's id plus an API key, beside a shared order naming only that id;
 * OpenClaw's check passes on the API key, AuthBar's used to fail).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeStores, type AuthCells } from '../../main/engine/gateways/openclaw/stores.js';

const cells = (store: Record<string, unknown>, state: Record<string, unknown> | null = null): AuthCells => ({
  store,
  state,
  unreadable: null,
});

test("the agent's profiles go ahead of the shared order for their provider; its own order, when it has one, wins", () => {
  const shared = cells({
    profiles: {
      'anthropic:manual': { type: 'token', provider: 'anthropic' },
      'openai:x': { type: 'api_key', provider: 'openai' },
    },
    order: { Anthropic: ['anthropic:manual'], openai: ['openai:x'] },
    lastGood: { anthropic: 'anthropic:manual', openai: 'openai:gone' },
  });
  const own = cells({
    profiles: {
      'anthropic:manual': { type: 'oauth', provider: 'anthropic', expires: 1 },
      'anthropic:work': { type: 'api_key', provider: 'anthropic' },
    },
  });
  const m = mergeStores(shared, own);
  assert.deepEqual(Object.keys(m.profiles), ['anthropic:manual', 'anthropic:work', 'openai:x'], "the agent's first");
  assert.equal((m.profiles['anthropic:manual'] as { type: string }).type, 'oauth', "the agent's row wins");
  assert.deepEqual(m.order, { Anthropic: ['anthropic:manual', 'anthropic:work'], openai: ['openai:x'] });
  assert.deepEqual(m.lastGood, { anthropic: 'anthropic:manual' }, 'lastGood naming a removed profile is dropped');

  const ownOrder = cells({
    profiles: own.store?.['profiles'] as Record<string, unknown>,
    order: { anthropic: ['anthropic:work'] },
  });
  assert.deepEqual(mergeStores(shared, ownOrder).order, { anthropic: ['anthropic:work'], openai: ['openai:x'] });
  assert.deepEqual(mergeStores(shared, null).order, shared.store?.['order']);
});
