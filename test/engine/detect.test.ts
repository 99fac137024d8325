/** Gateway detection (issue 6, acceptance 3): a table over homes with neither, either and both gateways, each env variable, and a migrated home. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { detectGateway } from '../../main/engine/gateways/registry.js';

type Layout = Record<string, string | { link: string } | { exec: true }>;

interface Case {
  name: string;
  files: Layout;
  env?: (home: string) => Record<string, string>;
  kind: 'clawdbot' | 'openclaw';
  stateDir: (home: string) => string;
  configPath?: (home: string) => string;
  detectedBy: RegExp;
  note?: RegExp | null;
  version?: string | null;
}

const OC_CONFIG = JSON.stringify({
  meta: { lastTouchedVersion: '2026.9.6' },
  agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } } },
});
const CB_STORE = JSON.stringify({ version: 1, profiles: {} });

const cases: Case[] = [
  {
    name: 'neither gateway, no CLI installed',
    files: {},
    kind: 'clawdbot',
    stateDir: (h) => join(h, '.clawdbot'),
    detectedBy: /no gateway state yet/,
    note: null,
  },
  {
    name: 'neither gateway, only openclaw on PATH',
    files: { 'bin/openclaw': { exec: true } },
    env: (h) => ({ PATH: join(h, 'bin') }),
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    detectedBy: /openclaw is installed/,
  },
  {
    name: 'Clawdbot: clawdbot.json',
    files: { '.clawdbot/clawdbot.json': '{}' },
    kind: 'clawdbot',
    stateDir: (h) => join(h, '.clawdbot'),
    detectedBy: /clawdbot\.json exists/,
    note: null,
  },
  {
    name: 'Clawdbot: an agent store only',
    files: { '.clawdbot/agents/main/agent/auth-profiles.json': CB_STORE },
    kind: 'clawdbot',
    stateDir: (h) => join(h, '.clawdbot'),
    detectedBy: /auth-profiles\.json exists/,
  },
  {
    name: 'OpenClaw: openclaw.json (version from meta.lastTouchedVersion)',
    files: { '.openclaw/openclaw.json': OC_CONFIG },
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    configPath: (h) => join(h, '.openclaw', 'openclaw.json'),
    detectedBy: /openclaw\.json exists/,
    version: '2026.9.6',
    note: null,
  },
  {
    name: 'OpenClaw: state db only',
    files: { '.openclaw/state/openclaw.sqlite': 'x' },
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    detectedBy: /openclaw\.sqlite exists/,
    version: null,
  },
  {
    name: 'OpenClaw: an agent db only',
    files: { '.openclaw/agents/work/agent/openclaw-agent.sqlite': 'x' },
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    detectedBy: /openclaw-agent\.sqlite exists/,
  },
  {
    name: 'both: OpenClaw chosen, the note says why',
    files: { '.openclaw/openclaw.json': OC_CONFIG, '.clawdbot/clawdbot.json': '{}' },
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    detectedBy: /openclaw\.json exists/,
    note: /Clawdbot was found too.*AUTHBAR_GATEWAY=clawdbot/,
  },
  {
    name: 'migrated home: ~/.clawdbot is a link to ~/.openclaw',
    files: {
      '.openclaw/openclaw.json': OC_CONFIG,
      '.openclaw/agents/main/agent/.keep': '',
      '.clawdbot': { link: '.openclaw' },
    },
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    detectedBy: /\.clawdbot is a link to .*\.openclaw/,
    note: null,
  },
  {
    name: 'migrated home even with CLAWDBOT_STATE_DIR pointing through the link',
    files: { '.openclaw/openclaw.json': OC_CONFIG, '.clawdbot': { link: '.openclaw' } },
    env: (h) => ({ CLAWDBOT_STATE_DIR: join(h, '.clawdbot') }),
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    detectedBy: /link/,
  },
  {
    name: 'OpenClaw running in an unmigrated ~/.clawdbot',
    files: { '.clawdbot/openclaw.json': OC_CONFIG },
    kind: 'openclaw',
    stateDir: (h) => join(h, '.clawdbot'),
    detectedBy: /openclaw\.json exists/,
  },
  {
    name: 'CLAWDBOT_STATE_DIR beside an OpenClaw home: Clawdbot, with a note',
    files: { '.openclaw/openclaw.json': OC_CONFIG, 'cb/clawdbot.json': '{}' },
    env: (h) => ({ CLAWDBOT_STATE_DIR: join(h, 'cb') }),
    kind: 'clawdbot',
    stateDir: (h) => join(h, 'cb'),
    detectedBy: /CLAWDBOT_STATE_DIR is set/,
    note: /OpenClaw was found too/,
  },
  {
    name: 'CLAWDBOT_AGENT_DIR alone: Clawdbot',
    files: {},
    env: (h) => ({ CLAWDBOT_AGENT_DIR: join(h, 'agentdir') }),
    kind: 'clawdbot',
    stateDir: (h) => join(h, '.clawdbot'),
    detectedBy: /CLAWDBOT_AGENT_DIR is set/,
  },
  {
    name: 'OPENCLAW_STATE_DIR elsewhere',
    files: {},
    env: (h) => ({ OPENCLAW_STATE_DIR: join(h, 'srv', 'oc') }),
    kind: 'openclaw',
    stateDir: (h) => join(h, 'srv', 'oc'),
    configPath: (h) => join(h, 'srv', 'oc', 'openclaw.json'),
    detectedBy: /OPENCLAW_STATE_DIR is set/,
  },
  {
    name: 'OPENCLAW_HOME replaces HOME for its paths',
    files: { 'alt/.openclaw/openclaw.json': OC_CONFIG },
    env: (h) => ({ OPENCLAW_HOME: join(h, 'alt') }),
    kind: 'openclaw',
    stateDir: (h) => join(h, 'alt', '.openclaw'),
    detectedBy: /OPENCLAW_HOME is set/,
    version: '2026.9.6',
  },
  {
    // Verified with openclaw 2026.9.6: only its `--profile work` flag selects ~/.openclaw-work.
    name: 'OPENCLAW_PROFILE=work alone stays on ~/.openclaw',
    files: { '.openclaw/openclaw.json': OC_CONFIG, '.openclaw-work/openclaw.json': OC_CONFIG },
    env: () => ({ OPENCLAW_PROFILE: 'work' }),
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    detectedBy: /OPENCLAW_PROFILE is set/,
  },
  {
    name: 'OPENCLAW_CONFIG_PATH',
    files: {},
    env: (h) => ({ OPENCLAW_CONFIG_PATH: join(h, 'etc', 'oc.json') }),
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    configPath: (h) => join(h, 'etc', 'oc.json'),
    detectedBy: /OPENCLAW_CONFIG_PATH is set/,
  },
  {
    name: 'OPENCLAW_AGENT_DIR',
    files: {},
    env: (h) => ({ OPENCLAW_AGENT_DIR: join(h, 'agent') }),
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    detectedBy: /OPENCLAW_AGENT_DIR is set/,
  },
  {
    name: 'both env variables: OpenClaw, the note names Clawdbot',
    files: {},
    env: (h) => ({ OPENCLAW_STATE_DIR: join(h, 'oc'), CLAWDBOT_STATE_DIR: join(h, 'cb') }),
    kind: 'openclaw',
    stateDir: (h) => join(h, 'oc'),
    detectedBy: /OPENCLAW_STATE_DIR/,
    note: /Clawdbot was found too \(CLAWDBOT_STATE_DIR is set\)/,
  },
  {
    name: 'legacy clawdbot.json config fallback under OpenClaw',
    files: { '.openclaw/state/openclaw.sqlite': 'x', '.openclaw/clawdbot.json': '{}' },
    kind: 'openclaw',
    stateDir: (h) => join(h, '.openclaw'),
    configPath: (h) => join(h, '.openclaw', 'clawdbot.json'),
    detectedBy: /openclaw\.sqlite/,
  },
  {
    name: 'AUTHBAR_GATEWAY=clawdbot overrides OpenClaw files',
    files: { '.openclaw/openclaw.json': OC_CONFIG },
    env: () => ({ AUTHBAR_GATEWAY: 'clawdbot' }),
    kind: 'clawdbot',
    stateDir: (h) => join(h, '.clawdbot'),
    detectedBy: /^AUTHBAR_GATEWAY=clawdbot$/,
  },
  {
    name: 'AUTHBAR_GATEWAY=openclaw overrides a Clawdbot home',
    files: { '.clawdbot/clawdbot.json': '{}' },
    env: () => ({ AUTHBAR_GATEWAY: 'openclaw' }),
    kind: 'openclaw',
    stateDir: (h) => join(h, '.clawdbot'),
    detectedBy: /^AUTHBAR_GATEWAY=openclaw$/,
  },
];

function lay(home: string, files: Layout): void {
  for (const [rel, what] of Object.entries(files)) {
    const p = join(home, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof what === 'string') writeFileSync(p, what);
    else if ('link' in what) symlinkSync(join(home, what.link), p);
    else {
      writeFileSync(p, '#!/bin/sh\nexit 0\n');
      chmodSync(p, 0o755);
    }
  }
}

describe('gateway detection', () => {
  for (const c of cases) {
    it(c.name, () => {
      const home = mkdtempSync(join(tmpdir(), 'authbar-detect-'));
      try {
        lay(home, c.files);
        const env = { HOME: home, PATH: join(home, 'no-bin'), ...(c.env?.(home) ?? {}) };
        const d = detectGateway(env);
        assert.equal(d.kind, c.kind);
        assert.equal(d.stateDir, c.stateDir(home));
        if (c.configPath) assert.equal(d.configPath, c.configPath(home));
        assert.match(d.detectedBy, c.detectedBy);
        if (c.note === null) assert.equal(d.note, null);
        else if (c.note) assert.match(d.note ?? '', c.note);
        if (c.version !== undefined) assert.equal(d.version, c.version);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});
