/**
 * `authbar setup-token --host NAME`: the host is asked first what can take a token (its
 * AuthBar, else its OpenClaw), so no token is minted for a host that cannot take it; then
 * `claude setup-token` runs here, and the token travels on the ssh connection's stdin only.
 * Everything the host said is shown escaped, with the token masked.
 */
import type { EngineDeps } from '../../engine/engine.js';
import { probeHost, sendTokenToHost, type HostProbe } from '../../engine/hosts/remote-token.js';
import { forTerminal } from '../../engine/secrets/scrub.js';
import { hostRenewText } from '../../../common/host-renew.js';
import { EXIT, type CliIO } from '../io.js';
import { findHost } from './hosts.js';
import { mintSetupToken, type SetupTokenValues } from './setup-token.js';

/** The remote CLI's `--expires-in` word: the one given, else a year. */
export function remoteExpiresIn(expiresInMs: number | undefined): string {
  return expiresInMs === undefined ? '365d' : `${Math.max(1, Math.round(expiresInMs / 60_000))}m`;
}

function probeExit(probe: Extract<HostProbe, { ok: false }>): number {
  switch (probe.state) {
    case 'no-authbar':
    case 'no-gateway':
    case 'clawdbot':
      return EXIT.noProgram;
    case 'incompatible':
      return EXIT.config;
    default:
      return EXIT.tempFail;
  }
}

export async function runSetupTokenOnHost(
  name: string,
  values: SetupTokenValues & { provider: string; expiresInMs: number | undefined },
  io: CliIO,
  deps: EngineDeps,
): Promise<number> {
  const entry = await findHost(deps, name);
  const rerun = `authbar setup-token --host ${entry.name}`;
  const say = (text: string, known?: ReadonlySet<string>) => forTerminal(text, known);
  let probe: HostProbe | null = null;
  const minted = await mintSetupToken(io, deps, rerun, async () => {
    io.stderr(`authbar: asking ${entry.name} (${say(entry.ssh)}) what can take the token…\n`);
    probe = await probeHost(entry, { env: deps.env });
    if (!probe.ok) {
      io.stderr(
        `authbar: nothing minted: ${say(probe.message)}.\n${probe.fix !== null ? `  to fix: ${say(probe.fix)}\n` : ''}`,
      );
      return probeExit(probe);
    }
    io.stderr(
      probe.via === 'authbar'
        ? `authbar: ${entry.name} has AuthBar ${say(probe.version)}: the token goes to \`authbar token add\` there.\n`
        : `authbar: ${entry.name} has OpenClaw${probe.openclawVersion !== null ? ` ${say(probe.openclawVersion)}` : ''} and no AuthBar: the token goes to \`openclaw models auth paste-token --agent ${say(probe.agent)}\` there.\n`,
    );
    return null;
  });
  if (typeof minted === 'number') return minted;
  const found = probe as HostProbe | null;
  if (found === null || !found.ok) return EXIT.software;
  const { token } = minted;
  const known = new Set([token]);
  io.stderr(`authbar: sending the token to ${entry.name} over ssh (on its stdin)…\n`);
  const r = await sendTokenToHost(
    entry,
    found,
    {
      secret: token,
      provider: values.provider,
      profileId: values['profile-id'],
      expiresIn: remoteExpiresIn(values.expiresInMs),
      noVault: values['no-vault'] === true,
    },
    { env: deps.env },
  );
  if (!r.ok) {
    if (r.output !== '') io.stderr(indent(r.output, known, entry.name));
    io.stderr(`authbar: ${say(r.message, known)}.\n${r.fix !== null ? `  to fix: ${say(r.fix, known)}\n` : ''}`);
    return r.state === null ? EXIT.ioErr : EXIT.tempFail;
  }
  if (r.output !== '') io.stdout(`${entry.name} says:\n${indent(r.output, known, entry.name)}`);
  if (r.vault === 'no-keyring')
    io.stdout(
      `${entry.name} has no usable OS keyring (${say(r.keyringReason ?? 'a headless server has none', known)}), so the token was landed in its gateway only: AuthBar there keeps no copy, and \`authbar sync\` there cannot land it again. To keep one, set up a keyring on ${entry.name}, then run \`${rerun}\` again.\n`,
    );
  if (r.took.took === true) {
    io.stdout(`Renewed on ${entry.name}: ${say(r.took.detail, known)}.\n`);
    return EXIT.ok;
  }
  if (r.took.took === false) {
    io.stderr(
      `authbar: ${entry.name} took the command but its status does not show the new token: ${say(r.took.detail, known)}; check there with \`${r.via === 'authbar' ? 'authbar status' : 'openclaw models status'}\`.\n`,
    );
    return EXIT.ioErr;
  }
  io.stdout(
    `Sent to ${entry.name}, which accepted it; AuthBar could not read its status back: ${say(r.took.detail, known)}.\n`,
  );
  return EXIT.ok;
}

/** The host's lines, each escaped on its own (a newline escaped would merge them into one). */
/** The host's lines, escaped one by one; its own commands reworded for this machine (`--host NAME`, "on NAME"). */
function indent(text: string, known: ReadonlySet<string>, host: string): string {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => `  ${forTerminal(hostRenewText(l, host), known)}\n`)
    .join('');
}
