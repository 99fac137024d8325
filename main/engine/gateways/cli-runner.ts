/**
 * The Gateway CLI port: runs the gateway's own command (`openclaw …`, `clawdbot …`) with an
 * argument array (never a shell string) and the secret, when there is one, on stdin only —
 * never in argv or the environment, where `ps` and /proc would show it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Env } from '../ports.js';
import type { GatewayKind } from '../../../common/snapshot.js';

export interface GatewayCliResult {
  /** Exit code; null when killed by a signal (see `signal`) or timed out. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface GatewayCliRunOptions {
  /** Written to the child's stdin, then stdin is closed. */
  stdin?: string;
  timeoutMs?: number;
  /** Extra environment for the child (never a secret). */
  env?: Env;
}

export interface GatewayCli {
  readonly kind: GatewayKind;
  /** The program run: an absolute path. */
  readonly bin: string;
  run(args: readonly string[], opts?: GatewayCliRunOptions): Promise<GatewayCliResult>;
}

/** Each gateway's command is named after its kind. */
const programOf = (kind: GatewayKind): string => kind;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the gateway's CLI is: the settings' `gatewayCli` when set (it must exist), else the
 * first `openclaw` / `clawdbot` on PATH. Null when there is none.
 */
export function findGatewayCli(kind: GatewayKind, env: Env, configured: string | null): string | null {
  if (configured !== null) return isExecutableFile(configured) ? configured : null;
  const name = programOf(kind);
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/** Children still running: a signal that ends AuthBar stops them too (private-copy-guard.ts). */
const liveChildren = new Set<ChildProcess>();

/** Stops every gateway CLI child still running (SIGTERM). */
export function killLiveChildren(): void {
  for (const child of liveChildren) child.kill('SIGTERM');
}

/** A runner for one gateway CLI binary, with the environment the gateway should see. */
export function gatewayCli(kind: GatewayKind, bin: string, baseEnv: Env): GatewayCli {
  return {
    kind,
    bin,
    run: (args, opts = {}) =>
      new Promise((resolve, reject) => {
        const env: Record<string, string> = {};
        for (const [k, v] of Object.entries({ ...baseEnv, ...(opts.env ?? {}) })) if (v !== undefined) env[k] = v;
        const child = spawn(bin, [...args], { env, stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true });
        liveChildren.add(child);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let timedOut = false;
        const timer =
          opts.timeoutMs === undefined
            ? null
            : setTimeout(() => {
                timedOut = true;
                child.kill('SIGTERM');
                setTimeout(() => child.kill('SIGKILL'), 2000).unref();
              }, opts.timeoutMs);
        child.stdout.on('data', (b: Buffer) => out.push(b));
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.on('error', (e) => {
          liveChildren.delete(child);
          if (timer) clearTimeout(timer);
          reject(e);
        });
        child.on('close', (code, signal) => {
          liveChildren.delete(child);
          if (timer) clearTimeout(timer);
          resolve({
            code: timedOut ? null : code,
            signal,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
            timedOut,
          });
        });
        // A child that exits without reading its stdin makes the write fail with EPIPE: that is its answer, not ours.
        child.stdin.on('error', () => {});
        child.stdin.end(opts.stdin ?? '');
      }),
  };
}
