/**
 * The `authbar` command. `run` takes its arguments and streams and returns the exit code,
 * so tests drive it in-process; only bin/authbar.cjs (through main/cli/bin.ts) sets the exit code.
 */
import { collect, type EngineDeps, type SyncMode } from '../engine/engine.js';
import { AuthBarError, describeError } from '../engine/errors.js';
import type { Snapshot } from '../../common/snapshot.js';
import { parseArgs, numberFlag, stringFlag, UsageError, type ParsedArgs } from './args.js';
import { renderStatusPlain, renderStatusTable, renderSync } from './render/status.js';
import { forTerminal, scrubDeep } from '../engine/secrets/scrub.js';
import { authbarVersion } from './version.js';
import { checkEnvChoices } from '../engine/env-choices.js';
import { resolvePaths } from '../engine/paths.js';
import { DEFAULT_SETTINGS, readSettings } from '../engine/settings.js';
import { renderTokenAges } from './render/tokens.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour only when stdout is a terminal (and NO_COLOR is unset). */
  isTTY: boolean;
  /** Resolves when stdout's reader has gone (EPIPE): long-running commands (watch) stop. */
  stdoutClosed?: Promise<void>;
}

/** Exit codes (sysexits where one fits). */
export const EXIT = {
  ok: 0,
  now: 1,
  soon: 2,
  usage: 64,
  dataErr: 65,
  software: 70,
  cantCreate: 73,
  tempFail: 75,
  config: 78,
} as const;

export const USAGE = `usage: authbar <command> [options]

commands:
  status [--json | --plain] [--check [--strict]] [--warn-hours N] [--agent ID] [--no-sync]
                      show every agent's profiles and their health (syncs first)
  sync [--dry-run] [--json] [--agent ID]
                      copy Claude Code / Codex / Qwen logins into every agent's store
                      (Clawdbot; under OpenClaw it copies nothing and says why)
  doctor [--fix] [--json]
                      check the whole setup; --fix repairs what is safe
  watch [--json] [--notify-cmd CMD] [--no-notify]
                      keep watching: a line (or NDJSON) per change, notifications
  install-service [--uninstall] [--dry-run] [--notify-cmd CMD]
                      run authbar watch as a systemd user unit / launchd agent
  token add --provider anthropic [--profile-id ID] [--expires-in 365d] [--no-vault]
                      keep a setup token or API key (read from stdin) in the OS keyring
                      and land it in the gateway
  token list [--json] | token remove ID
                      the tokens AuthBar keeps (masked, age, expiry, where landed)
  setup-token [--profile-id ID] [--no-vault]
                      run \`claude setup-token\`, capture the token, then as token add
  help                this text
  --version, -V       print AuthBar's version

exit codes: 0 fine, 1 action needed now, 2 action needed soon (status --check, doctor),
  64 usage error, 65 a file could not be parsed, 73 a write failed, 75 a lock was busy,
  78 the settings file or AUTHBAR_GATEWAY/AUTHBAR_KEYCHAIN is invalid, 70 an unexpected error;
  token / setup-token: 65 the token is not usable, 69 no OS keyring (fix it or use
  --no-vault), 72 claude/openclaw not found, 74 the gateway did not take the token,
  1 setup-token cancelled (nothing stored).`;

const NOT_YET = new Set(['refresh']);

export async function run(argv: readonly string[], io: CliIO, deps: EngineDeps): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && !['help', '--help', '-h', '--version', '-V'].includes(command))
      checkEnvChoices(deps.env);
    if (command === 'status' || command === 'doctor') await warnUnknownSettings(deps, io);
    switch (command) {
      case 'status':
        return await statusCommand(
          parseArgs(rest, {
            values: ['warn-hours', 'agent'],
            booleans: ['json', 'plain', 'check', 'strict', 'no-sync'],
          }),
          io,
          deps,
        );
      case 'sync':
        return await syncCommand(parseArgs(rest, { values: ['agent'], booleans: ['dry-run', 'json'] }), io, deps);
      case 'doctor':
        // Loaded on demand: status, run every minute from cron, should not pay for it.
        return await (
          await import('./commands/doctor.js')
        ).runDoctor(parseArgs(rest, { booleans: ['fix', 'json'] }), io, deps);
      case 'watch': {
        const args = parseArgs(rest, { values: ['notify-cmd'], booleans: ['json', 'no-notify'] });
        if (helpIfAsked(args, io)) return EXIT.ok;
        // Loaded on demand, with chokidar: one-shot commands never pay for it.
        return await (await import('./commands/watch.js')).runWatch(args, io, deps);
      }
      case 'install-service': {
        const args = parseArgs(rest, { values: ['notify-cmd'], booleans: ['uninstall', 'dry-run'] });
        if (helpIfAsked(args, io)) return EXIT.ok;
        return await (
          await import('./commands/install-service.js')
        ).runInstallService(args, io, deps.env, deps.platform ? { platform: deps.platform } : {});
      }
      case 'token':
        return await (await import('./commands/token.js')).runToken(rest, io, deps);
      case 'setup-token':
        return await (await import('./commands/setup-token.js')).runSetupToken(rest, io, deps);
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE + '\n');
        return EXIT.ok;
      case '--version':
      case '-V':
      case 'version':
        io.stdout(`authbar ${authbarVersion()}\n`);
        return EXIT.ok;
      case undefined:
        io.stderr(USAGE + '\n');
        return EXIT.usage;
      default:
        if (NOT_YET.has(command)) {
          io.stderr(`authbar ${command} is not available in this version yet; see the README's roadmap.\n`);
          return EXIT.usage;
        }
        throw new UsageError(`unknown command "${forTerminal(command)}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`authbar: ${forTerminal(err.message)}\n${USAGE}\n`);
      return EXIT.usage;
    }
    io.stderr(`authbar: ${forTerminal(describeError(err))}\n`);
    return exitCodeFor(err);
  }
}

/** Unknown keys in the settings file: a warning, not an error (a newer AuthBar's keys must not break this one). */
async function warnUnknownSettings(deps: EngineDeps, io: CliIO): Promise<void> {
  const path = resolvePaths(deps.env).settings;
  const read = await readSettings(path).catch(() => null); // a broken file is reported by the command itself
  for (const key of read?.unknownKeys ?? [])
    io.stderr(
      `authbar: warning: ${forTerminal(path)} has a key AuthBar does not know, ${forTerminal(JSON.stringify(key))}, which is ignored: check its spelling (known: ${Object.keys(DEFAULT_SETTINGS).join(', ')}).\n`,
    );
}

export function exitCodeFor(err: unknown): number {
  if (!(err instanceof AuthBarError)) return EXIT.software;
  switch (err.code) {
    case 'usage':
      return EXIT.usage;
    case 'lock-failed':
      return EXIT.tempFail;
    case 'write-failed':
      return EXIT.cantCreate;
    case 'config':
      return EXIT.config;
    case 'keyring-unavailable':
      return 69;
    case 'gateway-cli':
      return 74;
    default:
      return EXIT.dataErr;
  }
}

/** `--agent a,b`: every id named must exist (checked by the engine); blank or only commas is a usage error. */
function agentsFlag(args: ParsedArgs): string[] | undefined {
  const agent = stringFlag(args, 'agent');
  if (agent === undefined) return undefined;
  const ids = agent.split(',').map((s) => s.trim());
  if (ids.every((id) => id === ''))
    throw new UsageError('--agent needs at least one agent id (e.g. --agent main or --agent main,work)');
  if (ids.some((id) => id === ''))
    throw new UsageError(`--agent "${forTerminal(agent)}" has an empty agent id between commas`);
  return [...new Set(ids)];
}

function helpIfAsked(args: ParsedArgs, io: CliIO): boolean {
  if (!args.flags.has('help')) return false;
  io.stdout(USAGE + '\n');
  return true;
}

/** Broken stores and sources go to stderr, one sentence each, whatever the output format. */
function reportProblems(snapshot: Snapshot, io: CliIO, opts: { agents?: boolean } = {}): void {
  const say = (sentence: string) => io.stderr(`authbar: ${forTerminal(sentence)}\n`);
  // `sync`'s own lines already say "<agent>: not synced: <why>": not twice.
  if (opts.agents !== false)
    for (const a of snapshot.agents) {
      if (a.error) say(a.error);
      if (a.sync.error) say(a.sync.error);
    }
  for (const s of snapshot.sources) if (s.error && s.status !== 'logged-out') say(s.error);
  if (snapshot.configError) say(snapshot.configError);
  for (const problem of snapshot.settingsProblems ?? []) say(problem);
  if (snapshot.clockProblem) say(snapshot.clockProblem);
}

async function statusCommand(args: ParsedArgs, io: CliIO, deps: EngineDeps): Promise<number> {
  if (helpIfAsked(args, io)) return EXIT.ok;
  if (args.flags.has('json') && args.flags.has('plain')) throw new UsageError('--json and --plain exclude each other');
  if (args.flags.has('strict') && !args.flags.has('check')) throw new UsageError('--strict goes with --check');
  const warnHours = numberFlag(args, 'warn-hours', (n) => n > 0 && n <= 24 * 365, 'a number of hours above 0');
  const agents = agentsFlag(args);
  const sync: SyncMode = args.flags.has('no-sync') ? 'skip' : 'apply';
  const { snapshot } = await collect(deps, {
    sync,
    ...(agents ? { agents } : {}),
    ...(warnHours !== undefined ? { warnMs: warnHours * 3_600_000 } : {}),
  });
  if (agents && snapshot.agents.length === 0)
    throw new UsageError(`no agent named ${agents.join(', ')} under ${snapshot.stateDir}/agents`);

  if (args.flags.has('json')) {
    // The schema is the contract: what goes out is checked against it (loaded only here).
    const { Snapshot: SnapshotSchema } = await import('../../common/snapshot.js');
    io.stdout(JSON.stringify(scrubDeep(SnapshotSchema.parse(snapshot)), null, 2) + '\n');
  } else if (args.flags.has('plain')) io.stdout(renderStatusPlain(snapshot));
  else if (!args.flags.has('check') || io.isTTY)
    io.stdout(
      renderStatusTable(snapshot, { color: io.isTTY, ...(deps.env['HOME'] ? { home: deps.env['HOME'] } : {}) }) +
        renderTokenAges(snapshot),
    );
  reportProblems(snapshot, io);

  if (!args.flags.has('check')) return EXIT.ok;
  if (args.flags.has('strict')) return snapshot.overall.gatewayCheckCode;
  return snapshot.overall.attention === 'now' ? EXIT.now : snapshot.overall.attention === 'soon' ? EXIT.soon : EXIT.ok;
}

async function syncCommand(args: ParsedArgs, io: CliIO, deps: EngineDeps): Promise<number> {
  if (helpIfAsked(args, io)) return EXIT.ok;
  const agents = agentsFlag(args);
  const { snapshot } = await collect(deps, {
    sync: args.flags.has('dry-run') ? 'dry-run' : 'apply',
    ...(agents ? { agents } : {}),
  });
  if (agents && snapshot.agents.length === 0)
    throw new UsageError(`no agent named ${agents.join(', ')} under ${snapshot.stateDir}/agents`);
  // Vault tokens the gateway lacks or holds an older copy of (reads the keyring only then);
  // under OpenClaw this is all a sync does (through its own paste-token).
  const tokens = await import('./commands/token.js');
  const { syncVaultTokens, vaultSyncFailed } = await import('../engine/tokens/vault-sync.js');
  // What the gateway holds comes from this run's read (all of it only without --agent).
  const vaultResult = await syncVaultTokens(deps, {
    dryRun: args.flags.has('dry-run'),
    ...(agents ? {} : { held: snapshot.agents }),
  });
  const vault = tokens.vaultSyncRows(vaultResult);
  const vaultExit = vaultResult.kind === 'state-error' ? EXIT.dataErr : vaultSyncFailed(vaultResult.lines) ? 74 : null;
  if (snapshot.gateway.syncCopiesLogins === false)
    return syncUnderOpenClaw(args, io, snapshot, vault, tokens.renderVaultSync(vaultResult), vaultExit);
  if (args.flags.has('json')) {
    const report = {
      dryRun: args.flags.has('dry-run'),
      agents: snapshot.agents.map((a) => ({
        agentId: a.agentId,
        storePath: a.storePath,
        wrote: a.sync.wrote,
        changes: a.sync.changes,
        heldBack: a.heldBack ?? [],
        error: a.error ?? a.sync.error,
      })),
      sources: snapshot.sources.map((s) => ({ id: s.id, path: s.path, status: s.status, error: s.error })),
      vault,
    };
    io.stdout(JSON.stringify(scrubDeep(report), null, 2) + '\n');
  } else {
    io.stdout(renderSync(snapshot.agents) + tokens.renderVaultSync(vaultResult));
  }
  reportProblems(snapshot, io);
  if (vaultExit !== null) return vaultExit; // AuthBar's state file is unusable, or a token did not land
  if (snapshot.agents.some((a) => a.error !== null)) return EXIT.dataErr;
  const syncErrors = snapshot.agents.map((a) => a.sync.errorCode).filter((e): e is string => e !== null);
  if (syncErrors.includes('lock-failed')) return EXIT.tempFail;
  if (syncErrors.length > 0) return EXIT.cantCreate;
  if (snapshot.sources.some((s) => s.status === 'invalid' || s.status === 'unreadable')) return EXIT.dataErr;
  // Held back (an entry AuthBar did not write sits at the login's profile id): nothing failed, but the sync is not done.
  if (snapshot.agents.some((a) => (a.heldBack ?? []).length > 0)) return EXIT.soon;
  return EXIT.ok;
}

/** Under OpenClaw, sync copies nothing: it says why, and writes no file. */
function syncUnderOpenClaw(
  args: ParsedArgs,
  io: CliIO,
  snapshot: Snapshot,
  vault: ReadonlyArray<{ profileId: string; error: string | null; landings: ReadonlyArray<{ outcome: string }> }>,
  vaultText: string,
  vaultExit: number | null,
): number {
  if (args.flags.has('json')) {
    io.stdout(
      JSON.stringify(
        scrubDeep({
          dryRun: args.flags.has('dry-run'),
          gateway: snapshot.gateway.kind,
          copied: [],
          why: snapshot.gateway.syncNote ?? null,
          agents: snapshot.agents.map((a) => ({
            agentId: a.agentId,
            storePath: a.storePath,
            wrote: false,
            changes: [],
            error: a.error,
          })),
          vault,
        }),
        null,
        2,
      ) + '\n',
    );
  } else {
    io.stdout(
      forTerminal(
        `${snapshot.gateway.name ?? snapshot.gateway.kind} at ${snapshot.gateway.stateDir}: nothing to sync. ${snapshot.gateway.syncNote ?? ''}`,
      ) +
        '\n' +
        vaultText,
    );
  }
  return vaultExit ?? EXIT.ok;
}
