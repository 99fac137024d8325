/**
 * Watches every process's argv and environment (/proc/<pid>/cmdline, environ) while a test
 * runs, and reports any that held a secret: "no secret in argv" checked the way `ps` sees it.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcWatch {
  /** Stops watching; returns `pid: argv0` of every process seen holding a secret. */
  stop(): string[];
  /** How many distinct processes were looked at. */
  seen(): number;
}

/**
 * `ignore(environ)`: processes not to judge, by their environment (e.g. a test's own gateway,
 * which holds its token by design); such a process is skipped whole, argv included.
 */
export function watchProcesses(
  secrets: () => readonly string[],
  intervalMs = 100,
  ignore?: (environ: string) => boolean,
): ProcWatch {
  const ignored = new Set<string>();
  const hits = new Set<string>();
  const pids = new Set<string>();
  const envSeen = new Set<string>();
  const scan = () => {
    const list = secrets();
    let entries: string[];
    try {
      entries = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
    } catch {
      return;
    }
    for (const pid of entries) {
      if (String(process.pid) === pid || ignored.has(pid)) continue;
      if (ignore !== undefined && !envSeen.has(pid)) {
        try {
          if (ignore(readFileSync(`/proc/${pid}/environ`, 'latin1'))) {
            ignored.add(pid);
            continue;
          }
        } catch {
          continue;
        }
      }
      // argv can change (exec); the environment is fixed at exec, so one look per pid is enough.
      for (const file of envSeen.has(pid) ? ['cmdline'] : ['cmdline', 'environ']) {
        if (file === 'environ') envSeen.add(pid);
        let text: string;
        try {
          text = readFileSync(`/proc/${pid}/${file}`, 'latin1');
        } catch {
          continue;
        }
        pids.add(pid);
        for (const s of list) {
          for (let i = 0; i + 16 <= s.length; i += 8) {
            if (text.includes(s.slice(i, i + 16))) hits.add(`${pid}: ${file} of ${text.split('\0')[0]}`);
          }
        }
      }
    }
  };
  const timer = setInterval(scan, intervalMs);
  // A test that fails before stop() must not keep its file's process alive.
  timer.unref();
  scan();
  return {
    stop: () => {
      clearInterval(timer);
      scan();
      return [...hits];
    },
    seen: () => pids.size,
  };
}
