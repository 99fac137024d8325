/**
 * Every output AuthBar prints, run in-process through `run(argv, io, deps)` (the same code
 * the executable runs, without a process start per case), and the checks each must pass.
 */
import assert from 'node:assert/strict';
import { run } from '../../main/cli/main.js';
import type { Clock } from '../../main/engine/ports.js';
import { assertNoSecrets } from './home.js';

export interface Out {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(argv: string[], env: Record<string, string>, clock?: Clock): Promise<Out> {
  let stdout = '';
  let stderr = '';
  const code = await run(
    argv,
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false },
    { env, ...(clock ? { clock } : {}) },
  );
  return { argv, code, stdout, stderr };
}

/** Read-only commands, each output format. */
export const READ_COMMANDS: string[][] = [
  ['status', '--no-sync'],
  ['status', '--no-sync', '--plain'],
  ['status', '--no-sync', '--json'],
  ['status', '--no-sync', '--check'],
  ['status', '--no-sync', '--check', '--strict'],
  ['sync', '--dry-run'],
  ['sync', '--dry-run', '--json'],
  ['doctor'],
  ['doctor', '--json'],
];
/** Commands that may write (run after the read-only ones). */
export const WRITE_COMMANDS: string[][] = [
  ['status'],
  ['status', '--plain'],
  ['sync'],
  ['sync', '--json'],
  ['doctor', '--fix'],
  ['doctor', '--fix', '--json'],
];

export const isJson = (argv: readonly string[]) => argv.includes('--json');

/** Characters that must never reach a terminal raw from a human or --plain output. */
// Control characters are what this pattern is about.

export const RAW_CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\u3164\ufeff]|[\u{e0000}-\u{e007f}]/u;

/** What every output must satisfy, whatever went in. */
export function assertSafeOutput(o: Out, what = o.argv.join(' ')): void {
  assert.notEqual(o.code, 70, `${what}: exit 70 (unexpected error): ${o.stderr.slice(0, 300)}`);
  assert.doesNotMatch(
    o.stdout + o.stderr,
    /\n\s+at .+:\d+:\d+\)?\n|Invalid time value|\[native code\]|function \w*\(/,
    `${what}: a stack trace or function source`,
  );
  assertNoSecrets(what, o.stdout + o.stderr);
  if (isJson(o.argv)) {
    if (o.stdout !== '') JSON.parse(o.stdout);
    assert.doesNotMatch(o.stderr, RAW_CONTROL, `${what}: raw control character on stderr`);
  } else {
    // Human and --plain output: tabs only as --plain's separators, newlines only as line ends.
    const text = o.stdout + o.stderr;
    const m = RAW_CONTROL.exec(text);
    assert.equal(
      m,
      null,
      `${what}: raw control character U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in output`,
    );
    if (!o.argv.includes('--plain')) assert.doesNotMatch(o.stdout, /\t/, `${what}: raw tab in human output`);
  }
}

/**
 * --plain: every line has exactly its fields (8; a profile row 11 since the token-age
 * columns), so no file can forge or split a row.
 */
export function assertPlainRows(stdout: string, knownAgents: ReadonlySet<string>): void {
  for (const line of stdout.split('\n').filter((l) => l !== '')) {
    const fields = line.split('\t');
    assert.ok(
      fields.length === 11 || (fields.length === 8 && fields[4] === 'error'),
      `--plain row with ${fields.length} fields: ${JSON.stringify(line)}`,
    );
    assert.ok(
      knownAgents.has(fields[0] as string),
      `--plain row for an agent that does not exist: ${JSON.stringify(fields[0])}`,
    );
    assert.match(fields[7] as string, /^(none|soon|now)$/);
  }
}

/** sync output: every line starts with an agent id that exists. */
export function assertSyncLines(stdout: string, knownAgents: ReadonlySet<string>): void {
  for (const line of stdout.split('\n').filter((l) => l !== '')) {
    const agent = line.slice(0, line.indexOf(':'));
    assert.ok(knownAgents.has(agent), `sync line for an agent that does not exist: ${JSON.stringify(line)}`);
  }
}
