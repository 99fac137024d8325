/**
 * What AuthBar needs from Clawdbot's own config (`clawdbot.json`, JSON5): which providers
 * the gateway's models use, and which providers the config itself supplies keys for.
 */
import { existsSync } from 'node:fs';
import * as z from 'zod/mini';
import { readJsonFile, MiB } from '../../fs/jsonfile.js';
import type { Env } from '../../ports.js';
import { describeIssues } from '../../schemas.js';
import { addSecretValues } from '../../secrets/known.js';

/** Clawdbot 2026.1's default model when the config names none. */
export const DEFAULT_MODEL = 'anthropic/claude-opus-4-5';
export const DEFAULT_PROVIDER = 'anthropic';

/** Clawdbot 2026.1 takes only the object form; a bare string makes it refuse the whole config. */
const ModelChoice = z.looseObject({ primary: z.optional(z.string()), fallbacks: z.optional(z.array(z.string())) });

const ClawdbotConfig = z.looseObject({
  agents: z.optional(
    z.looseObject({
      defaults: z.optional(
        z.looseObject({
          model: z.optional(ModelChoice),
          imageModel: z.optional(ModelChoice),
        }),
      ),
    }),
  ),
  models: z.optional(
    z.looseObject({
      providers: z.optional(z.record(z.string(), z.unknown())),
    }),
  ),
});

export interface GatewayConfig {
  path: string;
  /** Providers the configured models name (primary, fallbacks, image model). */
  providersInUse: string[];
  /** Providers with a key in the config itself (`models.providers`). */
  providersWithConfigKeys: string[];
  /**
   * Set when the file exists but could not be used. Clawdbot then refuses to start (every
   * command exits 1), so this is an outage; AuthBar assumes the defaults to judge the rest.
   */
  error?: string;
  /** Credential values in the config (provider keys, env keys): masked wherever a copy shows up. */
  secrets?: string[];
}

/** `provider/model` → provider; a bare model name belongs to the default provider. */
export function providerOfModel(ref: string): string | undefined {
  const trimmed = ref.trim();
  if (trimmed === '') return undefined;
  const slash = trimmed.indexOf('/');
  if (slash === -1) return DEFAULT_PROVIDER;
  const provider = trimmed.slice(0, slash).trim().toLowerCase();
  return provider === '' ? undefined : provider;
}

function modelsOf(choice: z.infer<typeof ModelChoice> | undefined): string[] {
  if (choice === undefined) return [];
  return [choice.primary ?? '', ...(choice.fallbacks ?? [])];
}

export function providersInUseFrom(config: z.infer<typeof ClawdbotConfig> | undefined): string[] {
  const defaults = config?.agents?.defaults;
  const primary = modelsOf(defaults?.model);
  const refs = [
    primary[0] && primary[0].trim() !== '' ? primary[0] : DEFAULT_MODEL,
    ...primary.slice(1),
    ...modelsOf(defaults?.imageModel),
  ];
  const set = new Set<string>();
  for (const ref of refs) {
    const provider = providerOfModel(ref);
    if (provider) set.add(provider);
  }
  return [...set].sort();
}

export async function readGatewayConfig(path: string): Promise<GatewayConfig> {
  // JSON5 is loaded only when a config exists: it stays off the common path.
  if (!existsSync(path)) return { path, providersInUse: providersInUseFrom(undefined), providersWithConfigKeys: [] };
  const JSON5 = (await import('json5')).default;
  const read = await readJsonFile(
    path,
    {
      label: 'Clawdbot config',
      remedy: `fix it (Clawdbot cannot read it either); until then AuthBar assumes the default model ${DEFAULT_MODEL}`,
      maxBytes: 4 * MiB,
    },
    (text) =>
      // JSON5 prints a console warning for a raw U+2028/U+2029 in a string; the engine never
      // prints. They are line terminators (whitespace) outside strings; inside one they only
      // change a model name, which is read for its provider.
      JSON5.parse(text.replace(/[\u2028\u2029]/g, ' ')),
  );
  if (read.kind === 'missing')
    return { path, providersInUse: providersInUseFrom(undefined), providersWithConfigKeys: [] };
  if (read.kind === 'error')
    return {
      path,
      providersInUse: providersInUseFrom(undefined),
      providersWithConfigKeys: [],
      error: read.error.message,
    };
  const parsed = ClawdbotConfig.safeParse(read.value);
  if (!parsed.success) {
    return {
      path,
      providersInUse: providersInUseFrom(undefined),
      providersWithConfigKeys: [],
      error: `The Clawdbot config ${path} is invalid (${describeIssues(parsed.error)}), so Clawdbot refuses to start: fix it (e.g. "model": { "primary": "anthropic/claude-opus-4-5" }).`,
    };
  }
  const providers = parsed.data.models?.providers ?? {};
  const withKeys = Object.entries(providers)
    .filter(
      ([, entry]) =>
        typeof entry === 'object' && entry !== null && typeof (entry as { apiKey?: unknown }).apiKey === 'string',
    )
    .map(([name]) => name.trim().toLowerCase());
  return {
    path,
    providersInUse: providersInUseFrom(parsed.data),
    providersWithConfigKeys: withKeys,
    secrets: [...addSecretValues(read.value, new Set())],
  };
}

/** Environment variables Clawdbot accepts as a provider's key (resolveEnvApiKey in 2026.1). */
const ENV_KEYS: Record<string, string[]> = {
  anthropic: ['ANTHROPIC_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'],
  'github-copilot': ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN'],
  'qwen-portal': ['QWEN_OAUTH_TOKEN', 'QWEN_PORTAL_API_KEY'],
  zai: ['ZAI_API_KEY', 'Z_AI_API_KEY'],
  openai: ['OPENAI_API_KEY'],
  google: ['GEMINI_API_KEY'],
  groq: ['GROQ_API_KEY'],
  cerebras: ['CEREBRAS_API_KEY'],
  xai: ['XAI_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  mistral: ['MISTRAL_API_KEY'],
  moonshot: ['MOONSHOT_API_KEY'],
  minimax: ['MINIMAX_API_KEY'],
  opencode: ['OPENCODE_API_KEY', 'OPENCODE_ZEN_API_KEY'],
};

export function envKeyFor(provider: string, env: Env): string | undefined {
  const names = Object.hasOwn(ENV_KEYS, provider) ? (ENV_KEYS[provider] ?? []) : [];
  return names.find((name) => (env[name] ?? '').trim() !== '');
}
