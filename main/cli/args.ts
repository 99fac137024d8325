/**
 * A command's options, read by node:util `parseArgs` in strict mode (`--x=v`, `--`, unknown
 * options and missing values are its job). Its errors become one plain `UsageError` sentence
 * naming the option; the dispatcher prints it with that command's usage and exits 64.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export interface OptionDef {
  type: 'string' | 'boolean';
  short?: string;
}
export type OptionSpec = Readonly<Record<string, OptionDef>>;

export type OptionValues<O extends OptionSpec> = {
  [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean;
};

export interface ParsedArgs<O extends OptionSpec = OptionSpec> {
  values: OptionValues<O>;
  positionals: string[];
}

/** Added to every command: `--help` and `-h`. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Reads `argv` against `options`; `maxPositionals` words are allowed besides them.
 * Returns null when `--help`/`-h` was asked for (and parsed without error).
 */
export function parseOptions<O extends OptionSpec>(
  argv: readonly string[],
  options: O,
  maxPositionals = 0,
): ParsedArgs<O> | null {
  const all: OptionSpec = { ...options, ...HELP };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: all, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(explain(argv, all, err));
  }
  const { help, ...values } = parsed.values;
  if (help === true) return null;
  for (const [name, value] of Object.entries(values)) if (value === '') throw new UsageError(`--${name} needs a value`);
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return { values: values as OptionValues<O>, positionals: parsed.positionals };
}

/**
 * parseArgs's error, as a sentence naming the option. The option is found by reading the
 * same argv again without strictness (its tokens), not from the error's text.
 */
function explain(argv: readonly string[], options: OptionSpec, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw err;
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const def = options[t.name];
    if (def === undefined) return `unknown option ${t.rawName}`;
    if (def.type === 'boolean' && t.value !== undefined) return `${t.rawName} takes no value`;
    if (def.type === 'string' && t.value === undefined) return `${t.rawName} needs a value`;
    // `--agent --json`: parseArgs will not take an option-like word as a value unless written `--agent=-x`.
    if (def.type === 'string' && !t.inlineValue && t.value?.startsWith('-'))
      return `${t.rawName} needs a value (a value that starts with "-" is written ${t.rawName}=-x)`;
  }
  return `the options could not be read (${code})`;
}

export interface NumberRange {
  /** Exclusive lower bound. */
  above: number;
  /** Inclusive upper bound. */
  atMost: number;
  /** What the number counts, plural: "hours". */
  unit: string;
}

/** A numeric option within its range; the error names the range. */
export function numberOption(name: string, raw: string | undefined, range: NumberRange): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= range.above || n > range.atMost)
    throw new UsageError(
      `--${name} must be a number of ${range.unit} above ${range.above} and at most ${range.atMost}, not "${raw}"`,
    );
  return n;
}
