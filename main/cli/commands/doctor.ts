import { runDoctorChecks, type DoctorCheck } from '../../engine/doctor/doctor.js';
import type { EngineDeps } from '../../engine/engine.js';
import type { ParsedArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { paint } from '../render/status.js';
import { forTerminal, scrubDeep } from '../../engine/secrets/scrub.js';

const label: Record<DoctorCheck['verdict'], string> = {
  ok: ' ok ',
  info: 'info',
  warn: 'warn',
  fail: 'FAIL',
  fixed: 'fixed',
};
const colour = { ok: 'green', info: 'dim', warn: 'yellow', fail: 'red', fixed: 'green' } as const;

/** Exit 1 when a check fails, 2 when one warns, else 0 (fixed checks count as fine). */
export async function runDoctor(args: ParsedArgs, io: CliIO, deps: EngineDeps): Promise<number> {
  if (args.flags.has('help')) {
    io.stdout('usage: authbar doctor [--fix] [--json]\n');
    return EXIT.ok;
  }
  // Doctor works on real paths; what it says is scrubbed here, like every other output.
  const checks = scrubDeep(await runDoctorChecks(deps, { fix: args.flags.has('fix') }));
  const code = checks.some((c) => c.verdict === 'fail')
    ? EXIT.now
    : checks.some((c) => c.verdict === 'warn')
      ? EXIT.soon
      : EXIT.ok;
  if (args.flags.has('json')) {
    io.stdout(JSON.stringify({ ok: code === 0, checks }, null, 2) + '\n');
    return code;
  }
  const style = { color: io.isTTY };
  for (const c of checks) {
    io.stdout(`[${paint(style, colour[c.verdict], label[c.verdict].padEnd(5))}] ${forTerminal(c.message)}\n`);
    if (c.fix) io.stdout(`        fix: ${forTerminal(c.fix)}\n`);
  }
  const fails = checks.filter((c) => c.verdict === 'fail').length;
  const warns = checks.filter((c) => c.verdict === 'warn').length;
  io.stdout(
    fails + warns === 0
      ? 'Everything checks out.\n'
      : `${fails} failing, ${warns} warning${warns === 1 ? '' : 's'}${args.flags.has('fix') ? '' : '; `authbar doctor --fix` repairs what is safe'}.\n`,
  );
  return code;
}
