/**
 * Loads a native addon package (@napi-rs/keyring, @lydell/node-pty) on demand. The CLI
 * bundle is CommonJS run through `vm.Script`, where `import()` is unavailable, so `require`
 * is used there; the compiled ES modules (tests, the app) get one from `createRequire`.
 */
import { createRequire } from 'node:module';

export function loadNative<T>(id: string): T {
  const req = typeof require === 'function' ? require : createRequire(import.meta.url);
  return req(id) as T;
}
