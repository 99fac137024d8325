import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHome } from '../support/home.js';
import { readGatewayConfig, providerOfModel, DEFAULT_MODEL } from '../../main/engine/gateways/clawdbot/config.js';

test('providers in use come from the primary, fallbacks and image models; the default is Anthropic', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const none = await readGatewayConfig(h.path('.clawdbot/clawdbot.json'));
  assert.deepEqual(none.providersInUse, ['anthropic']);
  assert.equal(none.error, undefined);
  const path = h.write(
    '.clawdbot/clawdbot.json',
    `// JSON5, as Clawdbot writes it
{
  agents: { defaults: {
    model: { primary: "openai-codex/gpt-5", fallbacks: ["anthropic/claude-sonnet-4-5", "opus"] },
    imageModel: { primary: "google/gemini-3" },
  } },
  models: { providers: { openrouter: { apiKey: "x" } } },
}`,
  );
  const cfg = await readGatewayConfig(path);
  assert.deepEqual(cfg.providersInUse, ['anthropic', 'google', 'openai-codex']);
  assert.deepEqual(cfg.providersWithConfigKeys, ['openrouter']);
  assert.equal(providerOfModel('opus'), 'anthropic');
});

test('a model given as a bare string is a config Clawdbot refuses: reported, defaults assumed', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  const path = h.write('.clawdbot/clawdbot.json', { agents: { defaults: { model: 'openai/gpt-5' } } });
  const cfg = await readGatewayConfig(path);
  assert.match(cfg.error ?? '', /refuses to start/);
  assert.match(cfg.error ?? '', new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.deepEqual(cfg.providersInUse, [DEFAULT_MODEL.split('/')[0]]);
  const broken = await readGatewayConfig(h.write('.clawdbot/clawdbot.json', '{ agents: '));
  assert.match(broken.error ?? '', /not valid JSON/);
});
