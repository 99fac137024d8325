/**
 * The text of the service `authbar install-service` writes: a systemd user unit or a launchd
 * plist that runs `authbar watch`, with the environment it reads carried over. Pure.
 */
import { join } from 'node:path';
import { AuthBarError } from '../engine/errors.js';
import type { Env } from '../engine/ports.js';
import { escapeControls } from '../engine/secrets/scrub.js';

/** Marks a file as AuthBar's: one without it is never overwritten or removed. */
export const SERVICE_MARKER = 'Written by authbar install-service';
export const SYSTEMD_UNIT = 'authbar.service';
export const LAUNCHD_LABEL = 'dev.authbar.watch';

/** Variables `authbar watch` reads, carried into the service when set now. */
const PASSED_ENV = [
  'PATH',
  'CLAWDBOT_STATE_DIR',
  'CLAWDBOT_AGENT_DIR',
  'CLAWDBOT_CONFIG_PATH',
  'OPENCLAW_STATE_DIR',
  'OPENCLAW_HOME',
  'OPENCLAW_PROFILE',
  'OPENCLAW_CONFIG_PATH',
  'OPENCLAW_AGENT_DIR',
  'CLAUDE_CONFIG_DIR',
  'CODEX_HOME',
  'AUTHBAR_GATEWAY',
  'AUTHBAR_CONFIG',
  'AUTHBAR_KEYCHAIN',
] as const;

export interface ServiceSpec {
  node: string;
  bin: string;
  home: string;
  env: Env;
  notifyCmd?: string;
}

/**
 * Every value the unit or plist carries, with what to call it in an error. A control character
 * (a carriage return in a state dir variable) would end a line of the systemd unit and start a
 * directive of its own, and XML 1.0 cannot hold most of them at all: refused, never escaped.
 */
function checkValues(spec: ServiceSpec): void {
  const named: Array<[string, string, string]> = [
    [`Node's path`, spec.node, 'run authbar install-service with a node whose path has none'],
    [`AuthBar's path`, spec.bin, 'run authbar install-service from a path without them'],
    ...(spec.notifyCmd !== undefined
      ? [['--notify-cmd', spec.notifyCmd, 'write the command on one line'] as [string, string, string]]
      : []),
    ...passedEnv(spec.env).map((k): [string, string, string] => [
      k,
      spec.env[k] as string,
      `set ${k} without control characters (or unset it)`,
    ]),
  ];
  for (const [what, value, todo] of named) {
    const at = value.search(/\p{Cc}/u);
    if (at < 0) continue;
    // The option is the command line (64, with the usage); a variable or path is configuration (78).
    throw new AuthBarError(
      what === '--notify-cmd' ? 'usage' : 'config',
      `${what} holds a control character (${escapeControls(value.charAt(at))} at position ${at + 1}), which would break the service file: ${todo}, then run authbar install-service again.`,
    );
  }
}

function passedEnv(env: Env): Array<(typeof PASSED_ENV)[number]> {
  return PASSED_ENV.filter((k) => env[k] !== undefined && env[k] !== '');
}

/** systemd's quoting for one ExecStart word: double quotes, backslash escapes, `%` and `$` doubled. */
function systemdWord(s: string): string {
  const escaped = s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/%/g, '%%')
    .replace(/\$/g, '$$$$')
    .replace(/\n/g, '\\n');
  return `"${escaped}"`;
}

export function systemdUnit(spec: ServiceSpec): string {
  checkValues(spec);
  const words = [
    spec.node,
    spec.bin,
    'watch',
    ...(spec.notifyCmd !== undefined ? ['--notify-cmd', spec.notifyCmd] : []),
  ];
  const env = passedEnv(spec.env).map((k) => `Environment=${systemdWord(`${k}=${spec.env[k] as string}`)}`);
  return [
    `# ${SERVICE_MARKER}; remove with authbar install-service --uninstall.`,
    '[Unit]',
    'Description=AuthBar: watch the AI gateway credentials and notify before they break',
    'After=default.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${words.map(systemdWord).join(' ')}`,
    ...env,
    'Restart=on-failure',
    'RestartSec=10',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** XML's five escapes (control characters never get here: checkValues refuses them). */
function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function launchdPlist(spec: ServiceSpec): string {
  checkValues(spec);
  const args = [
    spec.node,
    spec.bin,
    'watch',
    ...(spec.notifyCmd !== undefined ? ['--notify-cmd', spec.notifyCmd] : []),
  ];
  const envKeys = passedEnv(spec.env);
  const logDir = join(spec.home, 'Library', 'Logs', 'AuthBar');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- ${SERVICE_MARKER}; remove with authbar install-service --uninstall. -->`,
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  <string>${LAUNCHD_LABEL}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...args.map((a) => `    <string>${xml(a)}</string>`),
    '  </array>',
    ...(envKeys.length > 0
      ? [
          '  <key>EnvironmentVariables</key>',
          '  <dict>',
          ...envKeys.flatMap((k) => [`    <key>${k}</key>`, `    <string>${xml(spec.env[k] as string)}</string>`]),
          '  </dict>',
        ]
      : []),
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    '  <key>ThrottleInterval</key>',
    '  <integer>10</integer>',
    '  <key>ProcessType</key>',
    '  <string>Background</string>',
    '  <key>StandardOutPath</key>',
    `  <string>${xml(join(logDir, 'watch.log'))}</string>`,
    '  <key>StandardErrorPath</key>',
    `  <string>${xml(join(logDir, 'watch.log'))}</string>`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
