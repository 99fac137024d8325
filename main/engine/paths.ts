import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Env } from './ports.js';
import { sha256Hex } from './fs/hash.js';

/** Every location AuthBar reads or writes, resolved once from the environment. */
export interface Paths {
  home: string;
  stateDir: string;
  /** `CLAWDBOT_AGENT_DIR`, when set: one agent dir named directly (the default agent's). */
  agentDirOverride: string | undefined;
  legacyAgentDir: string;
  clawdbotConfig: string;
  claudeConfigDir: string;
  /** True when `CLAUDE_CONFIG_DIR` chose the dir: Claude Code then suffixes its Keychain service. */
  claudeConfigDirFromEnv: boolean;
  claudeCredentials: string;
  codexHome: string;
  codexAuth: string;
  qwenCredentials: string;
  settings: string;
}

export const AUTH_STORE_FILE = 'auth-profiles.json';
export const DEFAULT_AGENT_ID = 'main';

/** Expands a leading `~` the way a shell would, then makes the path absolute. */
export function expandUserPath(value: string, home: string): string {
  const trimmed = value.trim();
  if (trimmed === '~') return home;
  if (trimmed.startsWith('~/')) return join(home, trimmed.slice(2));
  return isAbsolute(trimmed) ? trimmed : resolve(trimmed);
}

function fromEnv(env: Env, name: string, home: string): string | undefined {
  const raw = env[name];
  return raw !== undefined && raw.trim() !== '' ? expandUserPath(raw, home) : undefined;
}

export function resolvePaths(env: Env): Paths {
  const home = env['HOME'] && env['HOME'].trim() !== '' ? resolve(env['HOME']) : homedir();
  const stateDir = fromEnv(env, 'CLAWDBOT_STATE_DIR', home) ?? join(home, '.clawdbot');
  const claudeFromEnv = fromEnv(env, 'CLAUDE_CONFIG_DIR', home);
  const claudeConfigDir = claudeFromEnv ?? join(home, '.claude');
  const codexHome = fromEnv(env, 'CODEX_HOME', home) ?? join(home, '.codex');
  return {
    home,
    stateDir,
    agentDirOverride: fromEnv(env, 'CLAWDBOT_AGENT_DIR', home),
    legacyAgentDir: join(stateDir, 'agent'),
    clawdbotConfig: fromEnv(env, 'CLAWDBOT_CONFIG_PATH', home) ?? join(stateDir, 'clawdbot.json'),
    claudeConfigDir,
    claudeConfigDirFromEnv: claudeFromEnv !== undefined,
    claudeCredentials: join(claudeConfigDir, '.credentials.json'),
    codexHome,
    codexAuth: join(codexHome, 'auth.json'),
    qwenCredentials: join(home, '.qwen', 'oauth_creds.json'),
    settings: fromEnv(env, 'AUTHBAR_CONFIG', home) ?? join(home, '.config', 'authbar', 'settings.json'),
  };
}

export function agentDirFor(paths: Paths, agentId: string): string {
  return join(paths.stateDir, 'agents', agentId, 'agent');
}

export function storePathFor(agentDir: string): string {
  return join(agentDir, AUTH_STORE_FILE);
}

/** The macOS Keychain service under which Claude Code 2.1.332 keeps its credentials. */
export function claudeKeychainService(paths: Paths): string {
  if (!paths.claudeConfigDirFromEnv) return 'Claude Code-credentials';
  const hash = sha256Hex(paths.claudeConfigDir).slice(0, 8);
  return `Claude Code-credentials-${hash}`;
}

/** The Keychain account Claude Code uses: `$USER`, else the OS user, when it is a safe name. */
export function claudeKeychainAccount(env: Env, osUser: string): string {
  const user = env['USER'] && env['USER'] !== '' ? env['USER'] : osUser;
  return /^[A-Za-z0-9._-]+$/.test(user) ? user : 'claude-code-user';
}

/** The variables that name a directory, with the path each resolves to (when set). */
const DIR_VARIABLES = ['CLAWDBOT_STATE_DIR', 'CLAWDBOT_AGENT_DIR', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME'] as const;

/**
 * A variable that should name a directory but names a file: one sentence naming the
 * variable, instead of a raw ENOTDIR from whatever reads beneath it. Only set variables
 * cost a stat.
 */
export async function checkDirVariables(env: Env, paths: Paths): Promise<string | null> {
  for (const name of DIR_VARIABLES) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const path = expandUserPath(raw, paths.home);
    try {
      if (!(await fsp.stat(path)).isDirectory())
        return `${name} names ${path}, which is a file, not a directory: point ${name} at a directory (or unset it).`;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR')
        return `${name} names ${path}, but part of that path is a file, not a directory: point ${name} at a directory (or unset it).`;
      // absent is fine: it is created on the first write
    }
  }
  return null;
}
