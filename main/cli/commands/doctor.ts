/** `authbar doctor [--fix] [--json]`: check the whole setup; --fix repairs what is safe. */
import type { DoctorCheck } from '../../engine/doctor/doctor.js';
import { resolveHost } from '../../engine/host.js';
import { forTerminal, jsonText, scrubDeep } from '../../engine/secrets/scrub.js';
import { defineCommand } from '../command.js';
import { EXIT } from '../io.js';
import { warnUnknownSettings } from '../options.js';
import { paint } from '../render/status.js';

const label: Record<DoctorCheck['verdict'], string> = {
  ok: ' ok ',
  info: 'info',
  warn: 'warn',
  fail: 'FAIL',
  fixed: 'fixed',
};
const colour = { ok: 'green', info: 'dim', warn: 'yellow', fail: 'red', fixed: 'green' } as const;

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'check the whole setup; --fix repairs what is safe',
  usage: `usage: authbar doctor [--fix] [--json]

Check the whole setup: the gateway's stores, the logins, the settings, the clock. Exits 1 when
a check fails, 2 when one warns, else 0.

  --fix   repair what is safe to repair (and say what it did)
  --json  the checks as JSON`,
  options: { fix: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values }, io, deps) {
    const host = await resolveHost(deps);
    warnUnknownSettings(host, io);
    // Loaded on demand: status, run every minute from cron, should not pay for it.
    const { runDoctorChecks } = await import('../../engine/doctor/doctor.js');
    const fix = values.fix === true;
    // Doctor works on real paths; what it says is scrubbed here, like every other output.
    const checks = scrubDeep(await runDoctorChecks(host, { fix }));
    const fails = checks.filter((c) => c.verdict === 'fail').length;
    const warns = checks.filter((c) => c.verdict === 'warn').length;
    const code = fails > 0 ? EXIT.now : warns > 0 ? EXIT.soon : EXIT.ok;
    if (values.json) {
      io.stdout(jsonText({ ok: code === EXIT.ok, checks }, 2) + '\n');
      return code;
    }
    const style = { color: io.isTTY };
    for (const c of checks) {
      io.stdout(`[${paint(style, colour[c.verdict], label[c.verdict].padEnd(5))}] ${forTerminal(c.message)}\n`);
      if (c.fix) io.stdout(`        fix: ${forTerminal(c.fix)}\n`);
    }
    io.stdout(
      fails + warns === 0
        ? 'Everything checks out.\n'
        : `${fails} failing, ${warns} warning${warns === 1 ? '' : 's'}${fix ? '' : '; `authbar doctor --fix` repairs what is safe'}.\n`,
    );
    return code;
  },
});
