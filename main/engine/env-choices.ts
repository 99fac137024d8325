/**
 * AuthBar's own switch variables take a few values; a typo (`AUTHBAR_GATEWAY=opencalw`,
 * `AUTHBAR_KEYCHAIN=of`) must not silently mean "detect" or "on" — on macOS the latter is
 * Keychain prompts the admin meant to turn off. Pure.
 */
import { AuthBarError } from './errors.js';
import type { Env } from './ports.js';
import { gatewayKinds } from './gateways/registry.js';

/** Throws a config error (exit 78) naming the variable and the values it takes. */
export function checkEnvChoices(env: Env): void {
  const choices: ReadonlyArray<{ name: string; values: readonly string[]; meaning: string }> = [
    { name: 'AUTHBAR_GATEWAY', values: gatewayKinds(), meaning: 'unset or empty detects the gateway' },
    { name: 'AUTHBAR_KEYCHAIN', values: ['off', 'on'], meaning: 'unset or empty means on' },
  ];
  for (const c of choices) {
    const raw = (env[c.name] ?? '').trim().toLowerCase();
    if (raw === '' || c.values.includes(raw)) continue;
    throw new AuthBarError(
      'config',
      `${c.name}=${JSON.stringify(env[c.name])} is not a value it takes: set it to ${c.values.join(' or ')} (${c.meaning}).`,
    );
  }
}
