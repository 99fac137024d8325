// `npm start`: launches the tray app with the `electron` package (after `npm run build`).
// Where Electron cannot run — its binary is missing and cannot be fetched (this build machine),
// or there is no display — it says so in one sentence and shows `authbar status` instead.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable the `electron` package would run, or null when it is not there. */
export function electronBinary(root = ROOT, env = process.env) {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return null;
  const pathFile = join(pkg, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  // Same override as the electron package's own index.js.
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron');
    return existsSync(p) ? p : null;
  }
  if (!rel) return null;
  const p = join(pkg, 'dist', rel);
  return existsSync(p) ? p : null;
}

/** Why the tray app cannot start here, in one sentence; null when it can. */
export function whyNot({ platform = process.platform, env = process.env, binary }) {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return 'The tray app needs a display and this session has none (DISPLAY and WAYLAND_DISPLAY are unset), so here is `authbar status` instead.';
  }
  if (!binary) {
    return "Electron's binary is not installed here and could not be fetched, so here is `authbar status` instead of the tray app.";
  }
  return null;
}

function main() {
  const env = process.env;
  let binary = electronBinary(ROOT, env);
  const hasDisplay = whyNot({ env, binary: 'x' }) === null;
  if (!binary && hasDisplay && env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1' && !env.ELECTRON_OVERRIDE_DIST_PATH) {
    // The electron package (45+) fetches its binary on first use; give it one chance.
    const install = join(ROOT, 'node_modules', 'electron', 'install.js');
    if (existsSync(install)) spawnSync(process.execPath, [install], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
    binary = electronBinary(ROOT, env);
  }
  const reason = whyNot({ env, binary });
  if (reason) {
    console.log(reason);
    const status = spawnSync(process.execPath, [join(ROOT, 'bin', 'authbar.cjs'), 'status', ...process.argv.slice(2)], {
      stdio: 'inherit',
    });
    process.exit(status.status ?? 1);
  }
  const child = spawn(binary, ['.'], { cwd: ROOT, stdio: 'inherit', env: { ...env, ELECTRON_RUN_AS_NODE: undefined } });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
