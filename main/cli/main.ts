/**
 * The `authbar` command. `run` takes its arguments and streams and returns the exit code,
 * so tests drive it in-process; only bin/authbar.cjs (through main/cli/bin.ts) sets the exit code.
 * It only dispatches: each command is an entry of the table in commands/index.ts.
 */
import type { EngineDeps } from '../engine/engine.js';
import { checkEnvChoices } from '../engine/env-choices.js';
import { AuthBarError, describeError } from '../engine/errors.js';
import { forTerminal } from '../engine/secrets/scrub.js';
import { parseOptions, UsageError } from './args.js';
import { isGroup, synopsis, type Command, type CommandEntry } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, EXIT_HELP, exitCodeFor, type CliIO } from './io.js';
import { authbarVersion } from '../engine/version.js';

/** `authbar --help`: the table's synopses and summaries, then the exit codes. */
export const USAGE = [
  'usage: authbar <command> [options]',
  '',
  'commands:',
  ...COMMANDS.flatMap((c) => [
    ...synopsis(c.usage).map((line) => `  ${line.replace(/^authbar /, '')}`),
    `${' '.repeat(22)}${c.summary}`,
  ]),
  "  help [COMMAND]      this text, or a command's usage",
  "  --version, -V       print AuthBar's version",
  '',
  '`authbar <command> --help` shows what each option does.',
  '',
  EXIT_HELP,
].join('\n');

/** A wrong command line, with the usage that goes with it. */
class CommandUsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

export async function run(argv: readonly string[], io: CliIO, deps: EngineDeps): Promise<number> {
  const [word, ...rest] = argv;
  try {
    switch (word) {
      case undefined:
        io.stderr(USAGE + '\n');
        return EXIT.usage;
      case '--help':
      case '-h':
        io.stdout(USAGE + '\n');
        return EXIT.ok;
      case 'help':
        return help(rest, io);
      case '--version':
      case '-V':
      case 'version':
        io.stdout(`authbar ${authbarVersion()}\n`);
        return EXIT.ok;
    }
    const entry = COMMANDS.find((c) => c.name === word);
    if (entry === undefined) {
      throw new CommandUsageError(`unknown command "${word}"`, USAGE);
    }
    const picked = pick(entry, rest);
    if (picked === null) {
      io.stdout(entry.usage + '\n');
      return EXIT.ok;
    }
    const { command, args } = picked;
    const parsed = withUsage(command.usage, () => parseOptions(args, command.options, command.positionals ?? 0));
    if (parsed === null) {
      io.stdout(command.usage + '\n');
      return EXIT.ok;
    }
    checkEnvChoices(deps.env);
    return await withUsageAsync(command.usage, () => command.run(parsed, io, deps));
  } catch (err) {
    if (err instanceof CommandUsageError) {
      io.stderr(`authbar: ${forTerminal(err.message)}\n${err.usage}\n`);
      return EXIT.usage;
    }
    io.stderr(`authbar: ${forTerminal(describeError(err))}\n`);
    return exitCodeFor(err);
  }
}

/** The command an entry names (a group's next word picks its subcommand); null for the group's `--help`. */
function pick(entry: CommandEntry, rest: readonly string[]): { command: Command; args: readonly string[] } | null {
  if (!isGroup(entry)) return { command: entry, args: rest };
  const [sub, ...args] = rest;
  if (sub === '--help' || sub === '-h') return null;
  const names = entry.subcommands.map((c) => c.name);
  if (sub === undefined)
    throw new CommandUsageError(
      `${entry.name} needs ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`,
      entry.usage,
    );
  const command = entry.subcommands.find((c) => c.name === sub);
  if (command === undefined) throw new CommandUsageError(`unknown ${entry.name} command "${sub}"`, entry.usage);
  return { command, args };
}

/** `authbar help [COMMAND [SUBCOMMAND]]`. */
function help(words: readonly string[], io: CliIO): number {
  if (words.length === 0) {
    io.stdout(USAGE + '\n');
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === words[0]);
  if (entry === undefined) throw new CommandUsageError(`unknown command "${words[0]}"`, USAGE);
  const sub = isGroup(entry) ? entry.subcommands.find((c) => c.name === words[1]) : undefined;
  io.stdout((sub ?? entry).usage + '\n');
  return EXIT.ok;
}

/** A wrong command line (the CLI's UsageError, or the engine's `usage` code) gets the command's usage. */
function usageOf(err: unknown, usage: string): unknown {
  const wrongLine = err instanceof UsageError || (err instanceof AuthBarError && err.code === 'usage');
  return wrongLine ? new CommandUsageError((err as Error).message, usage) : err;
}

function withUsage<T>(usage: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw usageOf(err, usage);
  }
}

async function withUsageAsync<T>(usage: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw usageOf(err, usage);
  }
}
