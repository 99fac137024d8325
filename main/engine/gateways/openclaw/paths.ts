/**
 * OpenClaw's locations (DESIGN §2b), resolved from the environment the way OpenClaw
 * 2026.9.6 resolves them. `CLAWDBOT_*` variables mean nothing to OpenClaw.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { expandUserPath } from '../../paths.js';
import type { Env } from '../../ports.js';

export interface OpenClawPaths {
  /** `OPENCLAW_HOME`, else HOME: the base of OpenClaw's own paths (not Claude's or Codex's). */
  home: string;
  stateDir: string;
  /** Which rule chose the state dir, for the snapshot's `detectedBy`. */
  stateDirRule: string;
  configPath: string;
  /** `<state>/state/openclaw.sqlite`: the shared state database. */
  stateDb: string;
  /** Where the shared store lives when it is not in the state db: the main agent's dir, or `OPENCLAW_AGENT_DIR`. */
  sharedAgentDir: string;
  agentsDir: string;
}

export const AGENT_DB_FILE = 'openclaw-agent.sqlite';
export const CONFIG_FILE = 'openclaw.json';
export const LEGACY_CONFIG_FILE = 'clawdbot.json';
/** Files OpenClaw refuses to run beside (it asks for `openclaw doctor --fix`). */
export const LEGACY_AGENT_FILES = [
  'auth-profiles.json',
  'auth-state.json',
  'auth.json',
  join('credentials', 'oauth.json'),
];

function envPath(env: Env, name: string, home: string): string | undefined {
  const raw = env[name];
  return raw !== undefined && raw.trim() !== '' ? expandUserPath(raw, home) : undefined;
}

export function openClawHome(env: Env): string {
  const home = env['HOME'] && env['HOME'].trim() !== '' ? resolve(env['HOME']) : homedir();
  return envPath(env, 'OPENCLAW_HOME', home) ?? home;
}

export function resolveOpenClawPaths(env: Env): OpenClawPaths {
  const home = openClawHome(env);
  let stateDir: string;
  let stateDirRule: string;
  const fromEnv = envPath(env, 'OPENCLAW_STATE_DIR', home);
  // OPENCLAW_PROFILE alone moves nothing (verified with 2026.9.6): only OpenClaw's own
  // `--profile <name>` flag selects ~/.openclaw-<name>, which AuthBar cannot see.
  if (fromEnv) {
    stateDir = fromEnv;
    stateDirRule = 'OPENCLAW_STATE_DIR';
  } else if (existsSync(join(home, '.openclaw'))) {
    stateDir = join(home, '.openclaw');
    stateDirRule = '~/.openclaw exists';
  } else if (existsSync(join(home, '.clawdbot'))) {
    stateDir = join(home, '.clawdbot');
    stateDirRule = '~/.clawdbot exists and ~/.openclaw does not';
  } else {
    stateDir = join(home, '.openclaw');
    stateDirRule = 'the default';
  }
  const configFromEnv = envPath(env, 'OPENCLAW_CONFIG_PATH', home);
  let configPath = configFromEnv ?? join(stateDir, CONFIG_FILE);
  if (!configFromEnv && !existsSync(configPath) && existsSync(join(stateDir, LEGACY_CONFIG_FILE)))
    configPath = join(stateDir, LEGACY_CONFIG_FILE);
  const agentsDir = join(stateDir, 'agents');
  return {
    home,
    stateDir,
    stateDirRule,
    configPath,
    stateDb: join(stateDir, 'state', 'openclaw.sqlite'),
    sharedAgentDir: envPath(env, 'OPENCLAW_AGENT_DIR', home) ?? join(agentsDir, 'main', 'agent'),
    agentsDir,
  };
}

/** The OpenClaw env variables that are set: each one says the host runs OpenClaw. */
export const OPENCLAW_ENV_VARS = [
  'OPENCLAW_STATE_DIR',
  'OPENCLAW_HOME',
  'OPENCLAW_PROFILE',
  'OPENCLAW_CONFIG_PATH',
  'OPENCLAW_AGENT_DIR',
] as const;
