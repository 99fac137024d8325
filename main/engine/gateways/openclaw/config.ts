/**
 * What AuthBar needs from OpenClaw's config (`openclaw.json`, JSON5; OpenClaw itself writes
 * plain JSON, so JSON5 is loaded only when JSON.parse fails): the model routes per agent,
 * the configured auth profiles and their modes, explicit auth order, the agents and their
 * dirs, and which models run through the `claude-cli` runtime.
 */
import { readRegularFile } from '../../fs/regular-file.js';

/** A config this large is not one OpenClaw wrote. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** OpenClaw 2026.9.6's default model when the config names none (as `models status` shows). */
export const OPENCLAW_DEFAULT_MODEL = 'openai/gpt-6-astra';
/** A bare model name's provider. */
export const OPENCLAW_DEFAULT_PROVIDER = 'openai';
/** The utility model a provider brings when the config names none (`source: provider-default`). */
const UTILITY_DEFAULTS: Record<string, string> = {
  anthropic: 'anthropic/claude-haiku-4-5',
  openai: 'openai/gpt-5.6-luna',
};

export interface ModelRoute {
  /** `default`, `fallback`, `image`, `image-fallback`, `utility`. */
  role: string;
  ref: string;
  provider: string;
  model: string;
  /** Text routes of the default and its fallbacks may run on an agent runtime (codex, claude-cli). */
  runtimeRoute: boolean;
  scope: 'text' | 'image';
}

export interface OpenClawConfig {
  path: string;
  exists: boolean;
  /** Set when the file exists but does not parse: OpenClaw refuses to run. */
  error: string | null;
  raw: Record<string, unknown>;
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export async function readOpenClawConfig(path: string): Promise<OpenClawConfig> {
  // Regular files only, non-blocking and capped: a FIFO here must not hang every command.
  const read = readRegularFile(path, MAX_CONFIG_BYTES);
  if (read.kind === 'missing') return { path, exists: false, error: null, raw: {} };
  if (read.kind === 'error') {
    const why =
      read.code === 'not-a-file'
        ? 'is not a regular file: replace it with the JSON file OpenClaw writes (`openclaw doctor` names the problem)'
        : read.code === 'too-large'
          ? `is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB, so it cannot be OpenClaw's config: check what wrote it`
          : `cannot be read (${read.code}): check its permissions`;
    return { path, exists: true, error: `The OpenClaw config ${path} ${why}.`, raw: {} };
  }
  const text = read.bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = (await import('json5')).default.parse(text);
    } catch {
      // The parser's message may quote the file (a key): never shown.
      return {
        path,
        exists: true,
        error: `The OpenClaw config ${path} is not valid JSON5, so OpenClaw cannot start: fix it (\`openclaw doctor\` names the problem).`,
        raw: {},
      };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      path,
      exists: true,
      error: `The OpenClaw config ${path} is not a JSON object: fix it (\`openclaw doctor\`).`,
      raw: {},
    };
  }
  return { path, exists: true, error: null, raw: value as Record<string, unknown> };
}

export function parseModelRef(ref: string): { provider: string; model: string } | null {
  const t = ref.trim();
  if (t === '') return null;
  const slash = t.indexOf('/');
  if (slash === -1) return { provider: OPENCLAW_DEFAULT_PROVIDER, model: t };
  const provider = t.slice(0, slash).trim().toLowerCase();
  const model = t.slice(slash + 1).trim();
  return provider && model ? { provider, model } : null;
}

/** The config entry of one agent (`agents.entries.<id>`), if any. */
export function agentEntry(cfg: OpenClawConfig, agentId: string): Record<string, unknown> {
  return rec(rec(rec(cfg.raw['agents'])['entries'])[agentId]);
}

/** Agent ids the config names, with their `agentDir` when set. */
export function configuredAgents(cfg: OpenClawConfig): Array<{ id: string; agentDir?: string }> {
  return Object.entries(rec(rec(cfg.raw['agents'])['entries'])).map(([id, e]) => {
    const dir = str(rec(e)['agentDir']);
    return dir ? { id, agentDir: dir } : { id };
  });
}

function modelChoice(v: unknown): { primary?: string; fallbacks: string[] } {
  if (typeof v === 'string') return { primary: v, fallbacks: [] };
  const r = rec(v);
  const fallbacks = Array.isArray(r['fallbacks'])
    ? r['fallbacks'].filter((x): x is string => typeof x === 'string')
    : [];
  const primary = str(r['primary']);
  return primary ? { primary, fallbacks } : { fallbacks };
}

/**
 * `alias` entries of the configured model maps (defaults, then the agent's; the last wins),
 * keyed by lower-cased alias and by `provider/alias`: OpenClaw resolves a route through them.
 */
function aliasIndex(cfg: OpenClawConfig, agentId: string): Map<string, { provider: string; model: string }> {
  const index = new Map<string, { provider: string; model: string }>();
  const maps = [rec(rec(rec(cfg.raw['agents'])['defaults'])['models']), rec(agentEntry(cfg, agentId)['models'])];
  for (const models of maps)
    for (const [key, entry] of Object.entries(models)) {
      const alias = str(rec(entry)['alias']);
      const ref = parseModelRef(key);
      if (!alias || !ref || ref.model === '*') continue;
      index.set(alias.toLowerCase(), ref);
      index.set(`${ref.provider}/${alias.toLowerCase()}`, ref);
    }
  return index;
}

/** A route as OpenClaw reads it: an `@profile` suffix dropped, an alias resolved, else `provider/model`. */
export function resolveModelRef(
  raw: string,
  aliases: ReadonlyMap<string, { provider: string; model: string }>,
): { provider: string; model: string } | null {
  let t = raw.trim();
  const at = t.indexOf('@', t.lastIndexOf('/') + 1);
  if (
    at > 0 &&
    !/^\d{8}(?:@|$)/.test(t.slice(at + 1)) &&
    !/^(?:i?q\d+(?:_[a-z0-9]+)*|\d+bit)(?:@|$)/i.test(t.slice(at + 1))
  )
    t = t.slice(0, at);
  const hit = aliases.get(t.toLowerCase());
  if (hit) return hit;
  const slash = t.indexOf('/');
  if (slash > 0) {
    const scoped = aliases.get(
      `${t.slice(0, slash).trim().toLowerCase()}/${t
        .slice(slash + 1)
        .trim()
        .toLowerCase()}`,
    );
    if (scoped) return scoped;
  }
  return parseModelRef(t);
}

/** The routes `openclaw models status --check` judges for an agent. */
export function modelRoutes(cfg: OpenClawConfig, agentId: string): ModelRoute[] {
  const aliases = aliasIndex(cfg, agentId);
  const defaults = rec(rec(cfg.raw['agents'])['defaults']);
  const entry = agentEntry(cfg, agentId);
  const text = modelChoice(entry['model'] ?? defaults['model']);
  const fallbacks =
    entry['model'] !== undefined && rec(entry['model'])['fallbacks'] === undefined
      ? modelChoice(defaults['model']).fallbacks
      : text.fallbacks;
  const image = modelChoice(entry['imageModel'] ?? defaults['imageModel']);
  const primary = text.primary ?? OPENCLAW_DEFAULT_MODEL;
  const routes: ModelRoute[] = [];
  const add = (role: string, ref: string | undefined, scope: 'text' | 'image', runtimeRoute: boolean) => {
    if (!ref) return;
    const p = resolveModelRef(ref, aliases);
    if (p)
      routes.push({ role, ref: `${p.provider}/${p.model}`, provider: p.provider, model: p.model, scope, runtimeRoute });
  };
  add('default', primary, 'text', true);
  for (const f of fallbacks) add('fallback', f, 'text', true);
  add('image', image.primary, 'image', false);
  for (const f of image.fallbacks) add('image-fallback', f, 'image', false);
  const utility = str(entry['utilityModel']) ?? str(defaults['utilityModel']);
  if (utility && !/^(off|none|disabled)$/i.test(utility)) add('utility', utility, 'text', false);
  else if (!utility) add('utility', UTILITY_DEFAULTS[resolveModelRef(primary, aliases)?.provider ?? ''], 'text', false);
  return routes;
}

/** `auth.profiles.<id>.mode`: the stored credential's type must agree with it. */
export function configuredMode(cfg: OpenClawConfig, profileId: string): string | undefined {
  return str(rec(rec(rec(cfg.raw['auth'])['profiles'])[profileId])['mode']);
}

export function configuredOrder(cfg: OpenClawConfig, provider: string): string[] | undefined {
  const o = rec(rec(cfg.raw['auth'])['order'])[provider];
  return Array.isArray(o) ? o.filter((x): x is string => typeof x === 'string') : undefined;
}

/** Providers with a key in the config itself (`models.providers.<p>.apiKey`). */
export function providersWithConfigKeys(cfg: OpenClawConfig): string[] {
  return Object.entries(rec(rec(cfg.raw['models'])['providers']))
    .filter(([, e]) => str(rec(e)['apiKey']) !== undefined || typeof rec(e)['apiKey'] === 'object')
    .map(([p]) => p.toLowerCase());
}

function runtimeId(v: unknown): string | undefined {
  return typeof v === 'string' ? str(v) : str(rec(v)['id']);
}

/**
 * The agent runtime configured for a model: `agents.(entries.<id>|defaults).models["p/m"
 * or "p/*"].agentRuntime`, then `models.providers.<p>.models[].agentRuntime`, then
 * `models.providers.<p>.agentRuntime` (OpenClaw's resolveModelRuntimePolicy, in that order).
 */
export function configuredRuntime(
  cfg: OpenClawConfig,
  agentId: string,
  provider: string,
  model: string,
): string | undefined {
  const maps = [rec(agentEntry(cfg, agentId)['models']), rec(rec(rec(cfg.raw['agents'])['defaults'])['models'])];
  for (const kind of ['exact', 'wildcard'] as const) {
    for (const models of maps) {
      for (const [key, v] of Object.entries(models)) {
        const p = parseModelRef(key);
        if (!p || p.provider !== provider) continue;
        if (kind === 'exact' ? p.model !== model : p.model !== '*') continue;
        const id = runtimeId(rec(v)['agentRuntime']);
        if (id) return id;
      }
    }
  }
  const prov = rec(rec(rec(cfg.raw['models'])['providers'])[provider]);
  const models = Array.isArray(prov['models']) ? prov['models'] : [];
  for (const m of models)
    if (str(rec(m)['id']) === model) {
      const id = runtimeId(rec(m)['agentRuntime']);
      if (id) return id;
    }
  return runtimeId(prov['agentRuntime']);
}
