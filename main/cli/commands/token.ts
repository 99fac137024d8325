/**
 * `authbar token add|list|remove` and the vault half of `authbar sync`. The secret comes in
 * on stdin only; it goes to the OS keyring and to the gateway (on the gateway CLI's stdin
 * or into a store file the gateway reads) and nowhere else: messages show it masked.
 */
import { forTerminal } from '../../engine/secrets/scrub.js';
import { detectGateway } from '../../engine/gateways/detect.js';
import { AuthBarError } from '../../engine/errors.js';
import { formatDuration } from '../../engine/health.js';
import {
  gatewayRemoveCommand,
  landToken,
  openclawCli,
  openclawHolding,
  type Landing,
  type LandPolicy,
} from '../../engine/tokens/land.js';
import { addToken as addTokenToEngine, TOKEN_PROVIDERS } from '../../engine/tokens/add.js';
import { discoverAgents } from '../../engine/gateways/clawdbot/agents.js';
import { resolvePaths } from '../../engine/paths.js';
import { systemClock } from '../../engine/ports.js';
import { StoredProfile } from '../../engine/schemas.js';
import { fingerprint } from '../../engine/secrets/mask.js';
import { readSettings, type Settings } from '../../engine/settings.js';
import { readStore } from '../../engine/gateways/clawdbot/store.js';
import { TOKEN_LIFETIME_MS } from '../../engine/tokens/age.js';
import { readTokenState, statePath, updateTokenState, type TokenRecord } from '../../engine/tokens/state.js';
import { EXPIRES_IN_MAX_DAYS, isExpiresInMs, parseDuration } from '../../../common/rules.js';
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

async function settingsOf(deps: EngineDeps): Promise<Settings> {
  return (await readSettings(resolvePaths(deps.env).settings)).settings;
}

function describeLanding(l: Landing): string {
  const where = l.target === 'openclaw' ? 'OpenClaw' : `agent ${l.target}`;
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
  if (ms === null || !isExpiresInMs(ms))
    throw new UsageError(`--expires-in must be a duration such as 365d, 12h or 90m, at most ${EXPIRES_IN_MAX_DAYS}d`);
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
  const gateway = detectGateway(deps.env);
  io.stdout(
    `Removed ${profileId} from AuthBar${removedFromVault ? "'s vault (OS keyring)" : "'s records"}. The gateway still has it: to remove it there, ${gateway.kind === 'openclaw' ? 'run ' : ''}\`${gatewayRemoveCommand(gateway, profileId)}\`.\n`,
  );
  return TOKEN_EXIT.ok;
}

export interface VaultSyncLine {
  profileId: string;
  landings: Landing[];
  error: string | null;
}

/**
 * The vault half of `authbar sync` (and the tray's Resync): land each vault token where the
 * gateway lacks it or holds an older copy. What the gateway holds is judged from metadata
 * (fingerprint / masked tail, expiry); the secret is read from the keyring only when a
 * landing is due — this runs on a user's command, never from status or watch.
 */
export async function syncVaultTokens(deps: EngineDeps, opts: { dryRun: boolean }): Promise<VaultSyncLine[]> {
  const read = await readTokenState(statePath(deps.env));
  if (read.kind === 'error') return [{ profileId: '-', landings: [], error: read.error.message }];
  const records = Object.values(read.state.tokens).filter((t) => t.inVault);
  if (records.length === 0) return [];
  const now = (deps.clock ?? systemClock).now();
  const settings = await settingsOf(deps);
  const gateway = detectGateway(deps.env);
  const out: VaultSyncLine[] = [];
  let vault: Awaited<ReturnType<typeof openVault>> | undefined;
  for (const rec of records) {
    try {
      const due = await landingDue(rec, deps, settings, gateway);
      if (!due) {
        out.push({ profileId: rec.profileId, landings: [], error: null });
        continue;
      }
      if (opts.dryRun) {
        out.push({
          profileId: rec.profileId,
          landings: [
            {
              target: gateway.kind === 'openclaw' ? 'openclaw' : 'agents',
              outcome: 'skipped',
              detail: 'would land it (dry run)',
            },
          ],
          error: null,
        });
        continue;
      }
      vault ??= await openVault(deps.env, deps.platform ?? process.platform);
      const secret = await vault.get(rec.profileId);
      if (secret === null || fingerprint(secret) !== rec.fingerprint) {
        const check = await vault.check();
        out.push({
          profileId: rec.profileId,
          landings: [],
          error: check.ok
            ? `${rec.profileId} is missing from the OS keyring: add it again with \`authbar token add\`.`
            : check.reason,
        });
        continue;
      }
      const policy: LandPolicy = 'missing-or-older';
      const landings = await landToken(
        { env: deps.env, settings, gateway, now },
        { provider: rec.provider, profileId: rec.profileId, kind: rec.kind, secret, expiresAt: rec.expiresAt },
        policy,
      );
      const landed = landings.filter((l) => l.outcome === 'written' || l.outcome === 'unchanged').map((l) => l.target);
      await updateTokenState(statePath(deps.env), (current) => {
        const cur = current.tokens[rec.profileId];
        if (!cur || cur.fingerprint !== rec.fingerprint) return { next: null, result: undefined };
        const landedIn = [...new Set([...cur.landedIn, ...landed])].sort();
        return {
          next: { ...current, tokens: { ...current.tokens, [rec.profileId]: { ...cur, landedIn } } },
          result: undefined,
        };
      });
      out.push({ profileId: rec.profileId, landings, error: null });
    } catch (err) {
      out.push({ profileId: rec.profileId, landings: [], error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** Whether the gateway lacks this vault token or holds another copy, judged without the secret. */
async function landingDue(
  rec: TokenRecord,
  deps: EngineDeps,
  settings: Settings,
  gateway: ReturnType<typeof detectGateway>,
): Promise<boolean> {
  if (gateway.kind === 'openclaw') {
    const held = await openclawHolding(openclawCli({ env: deps.env, settings }), rec.profileId);
    if (held === null) return true;
    const tail = rec.masked.slice(-4);
    const sameExpiry =
      (held.expiresAt ?? null) === null
        ? rec.expiresAt === null
        : rec.expiresAt !== null && Math.abs((held.expiresAt as number) - rec.expiresAt) < 10 * 60_000;
    return !(held.tail !== null && held.tail.endsWith(tail) && sameExpiry);
  }
  const agents = await discoverAgents(resolvePaths(deps.env), settings.agents);
  for (const agent of agents) {
    if (agent.origin === 'legacy') continue;
    const store = await readStore(agent.storePath);
    if (store.kind !== 'ok') {
      if (store.kind === 'missing' && agent.agentId === 'main') return true;
      continue;
    }
    const p = StoredProfile.safeParse(store.store.profiles[rec.profileId]);
    if (!p.success) return true;
    const secret = p.data.type === 'token' ? p.data.token : p.data.type === 'api_key' ? p.data.key : undefined;
    if (secret === undefined || fingerprint(secret) !== rec.fingerprint) return true;
    if (p.data.type === 'token' && (p.data.expires ?? null) !== rec.expiresAt) return true;
  }
  return false;
}

export function renderVaultSync(lines: readonly VaultSyncLine[]): string {
  return lines
    .map((l) => {
      if (l.error) return `vault ${l.profileId}: not landed: ${l.error}`;
      if (l.landings.length === 0) return `vault ${l.profileId}: up to date`;
      return l.landings.map((x) => `vault ${l.profileId}: ${describeLanding(x)}`).join('\n');
    })
    .map((s) => forTerminal(s) + '\n')
    .join('');
}
