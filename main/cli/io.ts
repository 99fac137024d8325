/**
 * What every command gets to talk to the user (`CliIO`) and the one table of exit codes
 * `authbar` returns. Nothing else in main/cli writes an exit code as a number.
 */

import type { Readable } from 'node:stream';
import { AuthBarError } from '../engine/errors.js';

/** Where a command reads its input (a token): process.stdin, or a stream in tests. */
export type CliInput = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour only when stdout is a terminal (and NO_COLOR is unset). */
  isTTY: boolean;
  /** Resolves when stdout's reader has gone (EPIPE): long-running commands (watch) stop. */
  stdoutClosed?: Promise<void>;
  /** What `token add` reads the secret from; process.stdin when absent. */
  stdin?: CliInput;
}

/** Exit codes, sysexits where one fits. Two names share a number only where the meaning is the same kind. */
export const EXIT = {
  ok: 0,
  /** status --check, doctor: something needs action now. */
  now: 1,
  /** setup-token was cancelled or printed no token: nothing stored. */
  cancelled: 1,
  /** status --check, doctor, sync: something needs action soon (or a login was held back). */
  soon: 2,
  /** EX_USAGE: the command line is wrong. */
  usage: 64,
  /** EX_DATAERR: a file could not be parsed, or the token handed in is not usable. */
  dataErr: 65,
  /** EX_UNAVAILABLE: no OS keyring (no Secret Service, locked, AUTHBAR_KEYCHAIN=off). */
  noKeyring: 69,
  /** EX_SOFTWARE: an unexpected error. */
  software: 70,
  /** EX_OSFILE: a program AuthBar needs (`claude`, `openclaw`) is missing. */
  noProgram: 72,
  /** EX_CANTCREAT: a write failed. */
  cantCreate: 73,
  /** EX_IOERR: the gateway did not take a token (its CLI or a store write failed), or stdout/stderr failed. */
  ioErr: 74,
  /** EX_TEMPFAIL: a lock was busy. */
  tempFail: 75,
  /** EX_CONFIG: the settings file or AUTHBAR_GATEWAY/AUTHBAR_KEYCHAIN is invalid. */
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit codes as `authbar --help` documents them (the README's table follows this). */
export const EXIT_HELP = `exit codes: 0 fine, 1 action needed now, 2 action needed soon (status --check, doctor, sync),
  64 usage error, 65 a file could not be parsed, 73 a write failed, 75 a lock was busy,
  78 the settings file or AUTHBAR_GATEWAY/AUTHBAR_KEYCHAIN is invalid, 70 an unexpected error;
  token / setup-token: 65 the token is not usable, 69 no OS keyring (fix it or use
  --no-vault), 72 claude/openclaw not found, 74 the gateway did not take the token,
  1 setup-token cancelled (nothing stored).`;

/** The exit code for an error a command threw: the engine's error codes, mapped once here. */
export function exitCodeFor(err: unknown): number {
  if (!(err instanceof AuthBarError)) return EXIT.software;
  switch (err.code) {
    case 'usage':
      return EXIT.usage;
    case 'lock-failed':
      return EXIT.tempFail;
    case 'write-failed':
      return EXIT.cantCreate;
    case 'config':
      return EXIT.config;
    case 'keyring-unavailable':
      return EXIT.noKeyring;
    case 'gateway-cli':
      return EXIT.ioErr;
    default:
      return EXIT.dataErr;
  }
}
