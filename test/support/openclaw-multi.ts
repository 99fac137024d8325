/**
 * A real OpenClaw 2026.9.6 home with two agents, built once per test file with OpenClaw's own
 * commands and copied for each test: a setup token for `main` (in the shared store), `agents
 * add work` (which writes an absolute `agentDir` into openclaw.json) and a token pasted for
 * `work` (its own `openclaw-agent.sqlite`), the work agent dir left at mode 0755.
 */
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secret } from './home.js';
import { NODE24, OPENCLAW, mkTemp, ocEnv, openclawOk } from './openclaw-peer.js';

export const HAVE_OPENCLAW = Boolean(OPENCLAW && NODE24);
/** Whether this Node lacks node:sqlite, so AuthBar reads OpenClaw through `openclaw models status --json`. */
export const NODE_WITHOUT_SQLITE = (() => {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  try {
    return !get?.('node:sqlite');
  } catch {
    return true;
  }
})();

let base: Promise<string> | undefined;

async function build(): Promise<string> {
  const home = mkTemp('authbar-oc-multi-base-');
  const env = ocEnv(home);
  const paste = ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '300d'];
  await openclawOk([...paste, '--profile-id', 'anthropic:default'], env, secret('setup') + '\n');
  await openclawOk(['models', 'set', 'anthropic/claude-opus-4-6'], env);
  await openclawOk(['agents', 'add', 'work', '--non-interactive', '--workspace', join(home, 'ws-work')], env);
  await openclawOk([...paste, '--profile-id', 'anthropic:work', '--agent', 'work'], env, secret('setup') + '\n');
  chmodSync(join(home, '.openclaw', 'agents', 'work', 'agent'), 0o755);
  return home;
}

/** The base home (built on first use); remove it with `removeBase` in an `after`. */
export function multiAgentBase(): Promise<string> {
  base ??= build();
  return base;
}

export async function removeBase(): Promise<void> {
  if (base) rmSync(await base, { recursive: true, force: true });
}

/** A copy of the base home, its config's absolute paths moved to the copy. */
export async function multiAgentHome(): Promise<string> {
  const from = await multiAgentBase();
  const home = mkTemp('authbar-oc-multi-');
  cpSync(from, home, { recursive: true, verbatimSymlinks: true });
  const cfg = join(home, '.openclaw', 'openclaw.json');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').split(from).join(home));
  mkdirSync(join(home, 'tmp'), { mode: 0o700 });
  return home;
}
