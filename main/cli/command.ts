/**
 * The shape of an `authbar` command. Each lives in main/cli/commands/<name>.ts and is listed
 * once in main/cli/commands/index.ts; main.ts only dispatches over that table.
 */
import type { EngineDeps } from '../engine/engine.js';
import type { OptionSpec, ParsedArgs } from './args.js';
import type { CliIO } from './io.js';

export interface Command<O extends OptionSpec = OptionSpec> {
  /** The word after `authbar` (or after the group's word, for a subcommand). */
  readonly name: string;
  /** One line for `authbar --help`. */
  readonly summary: string;
  /**
   * What `authbar <name> --help` prints, and what a usage error prints after its one line.
   * Its lines up to the first blank one are the synopsis `authbar --help` shows.
   */
  readonly usage: string;
  /** Its options, as node:util parseArgs takes them; `--help`/`-h` is added for every command. */
  readonly options: O;
  /** How many positional words it takes (none unless set). */
  readonly positionals?: number;
  /**
   * Runs the command and returns an exit code from EXIT (io.ts). Throw UsageError for a
   * wrong command line; any other error is printed as one sentence with its exit code.
   * The table is loaded on every run (`status --check` from cron): import what only this
   * command needs inside `run`, with `await import(...)`.
   */
  run(args: ParsedArgs<O>, io: CliIO, deps: EngineDeps): Promise<number>;
}

/** A word whose next word picks the command (`authbar token add`). */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  /** What `authbar <name> --help` prints; its lines up to the first blank one are the synopsis. */
  readonly usage: string;
  readonly subcommands: readonly Command[];
}

export type CommandEntry = Command | CommandGroup;

export function isGroup(entry: CommandEntry): entry is CommandGroup {
  return 'subcommands' in entry;
}

/** Keeps a command's option types for its `run` while listing it in the untyped table. */
export function defineCommand<O extends OptionSpec>(command: Command<O>): Command {
  return command as unknown as Command;
}

/** The synopsis lines of a usage text (up to its first blank line), without `usage: `. */
export function synopsis(usage: string): string[] {
  const end = usage.indexOf('\n\n');
  return (end === -1 ? usage : usage.slice(0, end)).split('\n').map((l) => l.replace(/^usage: /, '').trim());
}
