/** Looks for secrets in every file under a directory (a temp HOME after a test). */
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of files holding any 16-character run of a secret, except under `except`. */
export function scanTreeForSecrets(
  root: string,
  secrets: readonly string[],
  opts: { except?: readonly string[] } = {},
): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if ((opts.except ?? []).some((e) => path === e || path.startsWith(e + '/'))) continue;
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) {
        const text = readFileSync(path).toString('latin1');
        if (secrets.some((s) => pieces(s).some((p) => text.includes(p)))) hits.push(path);
      }
    }
  };
  walk(root);
  return hits;
}

function pieces(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 16 <= s.length; i += 8) out.push(s.slice(i, i + 16));
  return out;
}
