/**
 * AuthBar's version. The CLI bundle has it built in (scripts/build-cli.mjs defines
 * `__AUTHBAR_VERSION__` from package.json), so `authbar --version` reads no file; the
 * unbundled build (tests) reads package.json, two levels above dist/main/cli.
 */
import { readFileSync } from 'node:fs';

declare const __AUTHBAR_VERSION__: string | undefined;

export function authbarVersion(): string {
  if (typeof __AUTHBAR_VERSION__ === 'string') return __AUTHBAR_VERSION__;
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const version = typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
