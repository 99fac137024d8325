/**
 * `authbar install-service [--uninstall] [--dry-run] [--notify-cmd CMD]`: a systemd user unit
 * (Linux) or a launchd agent (macOS) that runs `authbar watch`, and how to enable it.
 * AuthBar never runs systemctl/launchctl itself: it prints the commands.
 */
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../engine/fs/atomic.js';
import { AuthBarError, isNodeError } from '../../engine/errors.js';
import type { Env } from '../../engine/ports.js';
import { resolvePaths } from '../../engine/paths.js';
import { UsageError } from '../args.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { forTerminal } from '../../engine/secrets/scrub.js';
import {
  LAUNCHD_LABEL,
  launchdPlist,
  SERVICE_MARKER,
  SYSTEMD_UNIT,
  systemdUnit,
  type ServiceSpec,
} from '../service-files.js';
import { shellQuote } from '../../../common/shell.js';
import { readSettings } from '../../engine/settings.js';
import { gatewayUnreadableHere } from '../../engine/gateways/registry.js';

export interface ServiceCommandOptions {
  platform?: NodeJS.Platform;
  node?: string;
  bin?: string;
}

/** The absolute path of bin/authbar.cjs: the script that started this process, or beside the bundle. */
async function ownBin(): Promise<string> {
  const argv1 = process.argv[1];
  if (argv1 && /authbar(\.cjs)?$/.test(argv1)) {
    try {
      return await fsp.realpath(argv1);
    } catch {
      // fall through
    }
  }
  // In the bundle (dist/cli/authbar.cjs) __dirname is dist/cli.
  const here = typeof __dirname === 'string' ? __dirname : dirname(argv1 ?? '.');
  return join(here, '..', '..', 'bin', 'authbar.cjs');
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await fsp.readFile(path, 'utf8');
  } catch (err) {
    if (isNodeError(err) && err.code === 'ENOENT') return null;
    throw new AuthBarError(
      'unreadable',
      `Could not read ${path} (${isNodeError(err) ? err.code : 'error'}): check its permissions.`,
      path,
    );
  }
}

export const installServiceCommand = defineCommand({
  name: 'install-service',
  summary: 'run authbar watch as a systemd user unit / launchd agent',
  usage: `usage: authbar install-service [--uninstall] [--dry-run] [--notify-cmd CMD]

Write a systemd user unit (Linux) or a launchd agent (macOS) that runs \`authbar watch\`, and
print the commands that enable it (AuthBar never runs systemctl or launchctl itself).

  --uninstall       remove the unit or agent AuthBar wrote
  --dry-run         print what would be written or removed; write nothing
  --notify-cmd CMD  the service runs \`authbar watch --notify-cmd CMD\``,
  options: {
    uninstall: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    'notify-cmd': { type: 'string' },
  },
  run: ({ values }, io, deps) =>
    runInstallService(
      { uninstall: values.uninstall === true, dryRun: values['dry-run'] === true, notifyCmd: values['notify-cmd'] },
      io,
      deps.env,
      deps.platform ? { platform: deps.platform } : {},
    ),
});

export async function runInstallService(
  flags: { uninstall: boolean; dryRun: boolean; notifyCmd: string | undefined },
  rawIo: CliIO,
  env: Env,
  opts: ServiceCommandOptions = {},
): Promise<number> {
  // Paths and env values end up in what is printed (the unit text): each line terminal-safe.
  const io: CliIO = {
    ...rawIo,
    stdout: (text) =>
      rawIo.stdout(
        text
          .split('\n')
          .map((line) => forTerminal(line))
          .join('\n'),
      ),
  };
  const platform = opts.platform ?? process.platform;
  const { uninstall, dryRun, notifyCmd } = flags;
  if (uninstall && notifyCmd !== undefined) throw new UsageError('--notify-cmd goes with installing, not --uninstall');
  if (platform !== 'linux' && platform !== 'darwin') {
    throw new UsageError(
      `install-service supports Linux (systemd) and macOS (launchd), not ${platform}; run authbar watch from your own service manager`,
    );
  }
  const home = resolvePaths(env).home;
  const file =
    platform === 'linux'
      ? join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'systemd', 'user', SYSTEMD_UNIT)
      : join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
  const existing = await readIfExists(file);
  if (existing !== null && !existing.includes(SERVICE_MARKER)) {
    throw new AuthBarError(
      'write-failed',
      `${file} exists and was not written by AuthBar: move it aside (or remove it) and run authbar install-service again.`,
      file,
    );
  }

  if (uninstall) {
    if (existing === null) {
      io.stdout(`Nothing to remove: ${file} does not exist.\n`);
      return EXIT.ok;
    }
    const stopFirst =
      platform === 'linux'
        ? 'systemctl --user disable --now authbar'
        : `launchctl bootout gui/$(id -u)/${LAUNCHD_LABEL}`;
    if (dryRun) {
      io.stdout(`Would remove ${file}.\nRun first: ${stopFirst}\n`);
      return EXIT.ok;
    }
    io.stdout(`Stop the service first if it runs: ${stopFirst}\n`);
    await fsp.rm(file, { force: true });
    io.stdout(`Removed ${file}.\n`);
    if (platform === 'linux') io.stdout('Then: systemctl --user daemon-reload\n');
    return EXIT.ok;
  }

  const spec: ServiceSpec = {
    node: opts.node ?? process.execPath,
    bin: opts.bin ?? (await ownBin()),
    home,
    env,
    ...(notifyCmd !== undefined ? { notifyCmd } : {}),
  };
  const text = platform === 'linux' ? systemdUnit(spec) : launchdPlist(spec);
  // The service runs this very Node: on an OpenClaw host it must be able to read OpenClaw.
  if (spec.node === process.execPath) {
    const gatewayCli = (await readSettings(resolvePaths(env).settings).catch(() => null))?.settings.gatewayCli ?? null;
    const unreadable = await gatewayUnreadableHere(env, gatewayCli);
    if (unreadable !== null) io.stderr(`Warning: the service would run ${spec.node}. ${unreadable}\n`);
  }
  const enable =
    platform === 'linux'
      ? 'systemctl --user daemon-reload && systemctl --user enable --now authbar\nLogs: journalctl --user -u authbar -f\nTo keep it running while you are logged out: loginctl enable-linger $USER'
      : `launchctl bootstrap gui/$(id -u) ${shellQuote(file)}\nLogs: ${join(home, 'Library', 'Logs', 'AuthBar', 'watch.log')}`;
  if (dryRun) {
    io.stdout(`Would write ${file}:\n\n${text}\nThen enable it with:\n${enable}\n`);
    return EXIT.ok;
  }
  await fsp.mkdir(dirname(file), { recursive: true, mode: 0o755 });
  if (platform === 'darwin')
    await fsp.mkdir(join(home, 'Library', 'Logs', 'AuthBar'), { recursive: true, mode: 0o700 });
  if (existing === text) {
    io.stdout(`${file} is up to date.\nEnable it with:\n${enable}\n`);
    return EXIT.ok;
  }
  await writeFileAtomic(file, text, 0o644);
  io.stdout(`Wrote ${file}.\nEnable it with:\n${enable}\n`);
  return EXIT.ok;
}
