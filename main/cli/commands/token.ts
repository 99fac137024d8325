/**
 * `authbar token add|list|remove` and the vault half of `authbar sync`. The secret comes in
 * on stdin only; it goes to the OS keyring and to the gateway (on the gateway CLI's stdin
 * or into a store file the gateway reads) and nowhere else: messages show it masked.
 */
import { forTerminal } from '../../engine/secrets/scrub.js';
import { AuthBarError } from '../../engine/errors.js';
import { formatDuration } from '../../engine/health.js';
import type { Landing } from '../../engine/tokens/land.js';
import { resolveHost } from '../../engine/host.js';
import type { VaultSyncLine, VaultSyncResult } from '../../engine/tokens/vault-sync.js';
import { addToken as addTokenToEngine, TOKEN_PROVIDERS } from '../../engine/tokens/add.js';
import { systemClock } from '../../engine/ports.js';
import { TOKEN_LIFETIME_MS } from '../../engine/tokens/age.js';
import { readTokenState, statePath, updateTokenState } from '../../engine/tokens/state.js';
import { parseDuration } from '../../../common/token-rules.js';
import { openVault } from '../../engine/tokens/vault.js';
import type { EngineDeps } from '../../engine/engine.js';
import { parseArgs, stringFlag, UsageError, type ParsedArgs } from '../args.js';
import type { CliIO } from '../main.js';

/** Exit codes of the token commands (beyond the shared ones). */
export const TOKEN_EXIT = {
  ok: 0,
  /** `setup-token` was cancelled or printed no token: nothing stored. */
  cancelled: 1,
  usage: 64,
  /** The token handed in is not usable (wrong prefix, too short, wrapped …). */
  badSecret: 65,
  /** No OS keyring (no Secret Service, locked, AUTHBAR_KEYCHAIN=off): use --no-vault or fix the keyring. */
  noKeyring: 69,
  /** A program AuthBar needs (`claude`, `openclaw`) is missing. */
  noProgram: 72,
  /** The gateway did not take the token (a store write or the gateway CLI failed). */
  landingFailed: 74,
} as const;

export const PROVIDERS = TOKEN_PROVIDERS;

export interface AddRequest {
  secret: string;
  provider: string;
  profileId: string | undefined;
  /** Explicit `--expires-in`, in ms. */
  expiresInMs: number | undefined;
  /** Set by `authbar setup-token`: when the token was minted. */
  mintedAt: number | null;
  noVault: boolean;
}

function describeLanding(l: Landing): string {
  const where = l.label ?? `agent ${l.target}`;
  if (l.outcome === 'written') return `landed in ${where}`;
  if (l.outcome === 'unchanged') return `${where} already holds it (unchanged)`;
  if (l.outcome === 'skipped') return `${where}: skipped: ${l.detail}`;
  return `${where}: FAILED: ${l.detail}`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `token add` and `setup-token`: the engine's addToken, worded for the terminal. */
export async function addToken(req: AddRequest, io: CliIO, deps: EngineDeps): Promise<number> {
  const result = await addTokenToEngine(deps, {
    provider: req.provider,
    secret: req.secret,
    profileId: req.profileId,
    expiresInMs: req.expiresInMs,
    mintedAt: req.mintedAt,
    vault: !req.noVault,
  });
  if (!result.ok) {
    if (result.reason === 'bad-profile-id' || result.reason === 'bad-provider') throw new UsageError(result.message);
    if (result.reason === 'not-landed' && result.record !== null && !req.noVault) {
      io.stdout(
        `${result.record.profileId}: ${result.record.masked} kept in the OS keyring, not landed yet; \`authbar sync\` lands it once the problem below is fixed.\n`,
      );
    }
    throw result.error;
  }
  const { record, landings, gateway, now } = result;
  const { expiresAt } = record;
  const inVault = !req.noVault;
  const lines = [
    `${record.profileId}: ${record.masked} (fingerprint ${record.fingerprint})${inVault ? ' kept in the OS keyring' : ' not kept by AuthBar (--no-vault)'}.`,
    ...landings.map((l) => `  ${describeLanding(l)}`),
    expiresAt !== null
      ? `  expires ${day(expiresAt)} (in ${formatDuration(expiresAt - now)}); renew with \`authbar setup-token\`.`
      : '  expiry unknown: AuthBar counts its age from today and warns before the one-year mark.',
  ];
  if (landings.length === 0) lines.push(`  no agent to land it in under ${gateway.stateDir}.`);
  io.stdout(lines.join('\n') + '\n');
  return landings.some((l) => l.outcome === 'failed') ? TOKEN_EXIT.landingFailed : TOKEN_EXIT.ok;
}

/** The secret from stdin: piped, or typed/pasted at a hidden prompt on a terminal. */
export async function readSecretFromStdin(io: CliIO): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    io.stderr('Paste the token, then press Enter (it is not shown): ');
    return new Promise((resolve, reject) => {
      let buf = '';
      stdin.setRawMode(true);
      stdin.setEncoding('utf8');
      const done = (err?: Error) => {
        stdin.setRawMode(false);
        stdin.pause();
        stdin.removeListener('data', onData);
        io.stderr('\n');
        if (err) reject(err);
        else resolve(buf);
      };
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\u0003') return done(new AuthBarError('bad-secret', 'Cancelled: nothing was stored.'));
          if (ch === '\r' || ch === '\n') return done();
          if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
          else buf += ch;
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > 64 * 1024)
      throw new AuthBarError(
        'bad-secret',
        'More than 64 KiB arrived on stdin: that is not a token; pipe the token alone.',
      );
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function expiresInFlag(args: ParsedArgs): number | undefined {
  const raw = stringFlag(args, 'expires-in');
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === null || ms > 10 * 365 * 86_400_000)
    throw new UsageError('--expires-in must be a duration such as 365d, 12h or 90m');
  return ms;
}

export function providerFlag(args: ParsedArgs, required: boolean): string {
  const provider = stringFlag(args, 'provider');
  if (provider === undefined) {
    if (required) throw new UsageError('token add needs --provider anthropic');
    return 'anthropic';
  }
  if (!(PROVIDERS as readonly string[]).includes(provider))
    throw new UsageError(`--provider must be one of: ${PROVIDERS.join(', ')}`);
  return provider;
}

export async function runToken(argv: readonly string[], io: CliIO, deps: EngineDeps): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': {
      const args = parseArgs(rest, { values: ['provider', 'profile-id', 'expires-in'], booleans: ['no-vault'] });
      const provider = providerFlag(args, true);
      const expiresInMs = expiresInFlag(args);
      const secret = await readSecretFromStdin(io);
      return addToken(
        {
          secret,
          provider,
          profileId: stringFlag(args, 'profile-id'),
          expiresInMs,
          mintedAt: null,
          noVault: args.flags.has('no-vault'),
        },
        io,
        deps,
      );
    }
    case 'list':
      return listTokens(parseArgs(rest, { booleans: ['json'] }), io, deps);
    case 'remove': {
      const args = parseArgs(rest, { maxPositionals: 1 });
      const id = args.positionals[0];
      if (id === undefined) throw new UsageError('token remove needs the profile id (see `authbar token list`)');
      return removeToken(id, io, deps);
    }
    default:
      throw new UsageError(sub === undefined ? 'token needs add, list or remove' : `unknown token command "${sub}"`);
  }
}

async function listTokens(args: ParsedArgs, io: CliIO, deps: EngineDeps): Promise<number> {
  const now = (deps.clock ?? systemClock).now();
  const read = await readTokenState(statePath(deps.env));
  if (read.kind === 'error') throw read.error;
  // Metadata only: listing never reads a secret from the keyring (no Keychain prompt).
  const tokens = Object.values(read.state.tokens).sort((a, b) => a.profileId.localeCompare(b.profileId));
  if (args.flags.has('json')) {
    io.stdout(
      JSON.stringify({ tokens: tokens.map((t) => ({ ...t, ageMs: now - (t.mintedAt ?? t.addedAt) })) }, null, 2) + '\n',
    );
    return TOKEN_EXIT.ok;
  }
  if (tokens.length === 0) {
    io.stdout('No tokens: add one with `authbar setup-token` or `authbar token add --provider anthropic`.\n');
    return TOKEN_EXIT.ok;
  }
  const rows = [['PROFILE', 'TOKEN', 'AGE', 'EXPIRES', 'VAULT', 'LANDED IN']];
  for (const t of tokens) {
    const age = Math.floor((now - (t.mintedAt ?? t.addedAt)) / 86_400_000);
    const ageText = t.mintedAt !== null ? `${age} d` : `at least ${age} d`;
    const exp =
      t.expiresAt !== null
        ? `${day(t.expiresAt)} (${t.expiresAt - now <= 0 ? 'expired' : `in ${formatDuration(t.expiresAt - now)}`})`
        : `~${day((t.mintedAt ?? t.addedAt) + TOKEN_LIFETIME_MS)} (estimated)`;
    rows.push([t.profileId, t.masked, ageText, exp, t.inVault ? 'yes' : 'no', t.landedIn.join(',') || '-']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  io.stdout(
    rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n',
  );
  return TOKEN_EXIT.ok;
}

async function removeToken(profileId: string, io: CliIO, deps: EngineDeps): Promise<number> {
  const path = statePath(deps.env);
  const read = await readTokenState(path);
  if (read.kind === 'error') throw read.error;
  const record = read.state.tokens[profileId];
  const vault = await openVault(deps.env, deps.platform ?? process.platform);
  let removedFromVault = false;
  if (record === undefined || record.inVault) {
    const check = await vault.check();
    if (!check.ok) {
      if (record !== undefined) throw new AuthBarError('keyring-unavailable', check.reason);
    } else {
      removedFromVault = await vault.remove(profileId);
    }
  }
  if (record === undefined && !removedFromVault) {
    io.stderr(`authbar: no token ${profileId} in AuthBar's vault; see \`authbar token list\`.\n`);
    return TOKEN_EXIT.badSecret;
  }
  await updateTokenState(path, (current) => {
    const tokens = { ...current.tokens };
    delete tokens[profileId];
    return { next: { ...current, tokens }, result: undefined };
  });
  const remove = (await resolveHost(deps)).adapter.removeCommand(profileId);
  io.stdout(
    `Removed ${profileId} from AuthBar${removedFromVault ? "'s vault (OS keyring)" : "'s records"}. The gateway still has it: to remove it there, ${remove.runnable ? 'run ' : ''}\`${remove.text}\`.\n`,
  );
  return TOKEN_EXIT.ok;
}

/** The vault sync's lines as the CLI shows them; an unusable state file as one row named `-`. */
export function vaultSyncRows(result: VaultSyncResult): VaultSyncLine[] {
  return result.kind === 'state-error' ? [{ profileId: '-', landings: [], error: result.error.message }] : result.lines;
}

export function renderVaultSync(result: VaultSyncResult): string {
  return vaultSyncRows(result)
    .map((l) => {
      if (l.error) return `vault ${l.profileId}: not landed: ${l.error}`;
      if (l.landings.length === 0) return `vault ${l.profileId}: up to date`;
      return l.landings.map((x) => `vault ${l.profileId}: ${describeLanding(x)}`).join('\n');
    })
    .map((s) => forTerminal(s) + '\n')
    .join('');
}
