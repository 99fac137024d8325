/**
 * `authbar <args>` run in this process through `run(argv, io, deps)`: the code the executable
 * runs, without a process start per call. The executable itself is tested by the smoke tests
 * (exit codes, EPIPE, --version, the code cache, the bundle) and by tests that need a process
 * of their own (another user, SIGKILL, locks held by another process, stdin, hangs).
 */
import assert from 'node:assert/strict';
import type { Clock } from '../../main/engine/ports.js';
import { assertNoSecrets, runAuthbar, type CliResult } from './home.js';
import { runInProcess } from './outputs.js';

/** Like runAuthbar, in process: every output is checked for secrets all the same. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
  opts: { clock?: Clock } = {},
): Promise<CliResult> {
  const o = await runInProcess([...args], env, opts.clock);
  assertNoSecrets(`authbar ${args.join(' ')}`, o.stdout + o.stderr);
  return { code: o.code, signal: null, stdout: o.stdout, stderr: o.stderr };
}

export interface DoctorCheck {
  id: string;
  verdict: string;
  message: string;
  fix: string | null;
}

/**
 * `authbar doctor [--fix] --json`, its checks parsed; in process unless the test needs AuthBar
 * in a process of its own (say, a lock this test holds must belong to another process).
 */
export async function doctorJson(
  env: Record<string, string>,
  fix: boolean,
  how: 'in-process' | 'own-process' = 'in-process',
): Promise<{ code: number | null; checks: DoctorCheck[] }> {
  const args = fix ? ['doctor', '--fix', '--json'] : ['doctor', '--json'];
  const r = how === 'in-process' ? await runCli(args, env) : await runAuthbar(args, env);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return { code: r.code, checks: (JSON.parse(r.stdout) as { checks: DoctorCheck[] }).checks };
}
