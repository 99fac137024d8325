/** A small, strict argument parser: unknown flags and stray words are usage errors. */

export class UsageError extends Error {}

export interface FlagSpec {
  /** Flags that take a value (`--warn-hours 12` or `--warn-hours=12`). */
  values?: readonly string[];
  /** Flags that stand alone. */
  booleans?: readonly string[];
  /** How many positional words the command takes at most. */
  maxPositionals?: number;
}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  const values = new Set(spec.values ?? []);
  const booleans = new Set([...(spec.booleans ?? []), 'help']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      flags.set('help', true);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (values.has(name)) {
        const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
        if (value === undefined || value === '' || (eq === -1 && value.startsWith('--')))
          throw new UsageError(`--${name} needs a value`);
        flags.set(name, value);
      } else if (booleans.has(name)) {
        if (eq !== -1) throw new UsageError(`--${name} takes no value`);
        flags.set(name, true);
      } else {
        throw new UsageError(`unknown option --${name}`);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown option ${arg}`);
    positionals.push(arg);
  }
  if (positionals.length > (spec.maxPositionals ?? 0))
    throw new UsageError(`unexpected argument "${positionals[spec.maxPositionals ?? 0]}"`);
  return { flags, positionals };
}

export function numberFlag(
  args: ParsedArgs,
  name: string,
  check: (n: number) => boolean,
  what: string,
): number | undefined {
  const raw = args.flags.get(name);
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${what}`);
  return n;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const raw = args.flags.get(name);
  return typeof raw === 'string' ? raw : undefined;
}
