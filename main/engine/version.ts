/**
 * AuthBar's version (`authbar --version`, and what the gateway is told). The CLI and app
 * bundles have it built in (scripts/build-cli.mjs and build-app.mjs define
 * `__AUTHBAR_VERSION__` from package.json), so they read no file; the unbundled build (tests)
 * reads the package.json at the root, beside dist/.
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
