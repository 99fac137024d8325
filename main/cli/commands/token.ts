/**
 * `authbar token add|list|remove`: the arguments and the wording. The secret comes in on
 * stdin only; it goes to the OS keyring and to the gateway (on the gateway CLI's stdin or
 * into a store file the gateway reads) and nowhere else: messages show it masked. The
 * engine's token code is loaded only when a token command runs.
 */
import type { EngineDeps } from '../../engine/engine.js';
import { AuthBarError } from '../../engine/errors.js';
import { jsonText } from '../../engine/secrets/scrub.js';
import { resolveHost } from '../../engine/host.js';
import { formatDuration } from '../../engine/health.js';
import { systemClock } from '../../engine/ports.js';
import { readTokenState, statePath, updateTokenState } from '../../engine/tokens/state.js';
import { openVault } from '../../engine/tokens/vault.js';
import { UsageError } from '../args.js';
import { defineCommand, type CommandGroup } from '../command.js';
import { renewCommandFor } from '../../engine/tokens/age.js';
import { EXIT, type CliIO } from '../io.js';
import { describeLanding, isoDay, renderTokenList } from '../render/tokens.js';
import { readSecret } from '../secret-prompt.js';

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

/** `token add` and `setup-token`: the engine's addToken, worded for the terminal. */
export async function addToken(req: AddRequest, io: CliIO, deps: EngineDeps): Promise<number> {
  const { addToken: addTokenToEngine } = await import('../../engine/tokens/add.js');
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
    record.kind === 'api-key' && expiresAt === null
      ? '  an API key: it does not expire.'
      : expiresAt !== null
        ? `  expires ${isoDay(expiresAt)} (in ${formatDuration(expiresAt - now)}); renew with \`${renewCommandFor(record.profileId)}\`.`
        : '  expiry unknown: AuthBar counts its age from today and warns before the one-year mark.',
  ];
  if (landings.length === 0) lines.push(`  no agent to land it in under ${gateway.stateDir}.`);
  io.stdout(lines.join('\n') + '\n');
  return landings.some((l) => l.outcome === 'failed') ? EXIT.ioErr : EXIT.ok;
}

/** `--expires-in 365d`, in ms, within the bound every front end shares. */
export async function expiresInOption(raw: string | undefined): Promise<number | undefined> {
  if (raw === undefined) return undefined;
  const { EXPIRES_IN_MAX_DAYS, isExpiresInMs, parseDuration } = await import('../../../common/rules.js');
  const ms = parseDuration(raw);
  if (ms === null || !isExpiresInMs(ms))
    throw new UsageError(
      `--expires-in must be a duration such as 365d, 12h or 90m, at most ${EXPIRES_IN_MAX_DAYS}d (ten years)`,
    );
  return ms;
}

/** `--provider`: required by `token add`, anthropic by default for `setup-token`. */
export async function providerOption(provider: string | undefined, required: boolean): Promise<string> {
  if (provider === undefined) {
    if (required) throw new UsageError('token add needs --provider anthropic');
    return 'anthropic';
  }
  const { TOKEN_PROVIDERS } = await import('../../engine/tokens/add.js');
  if (!(TOKEN_PROVIDERS as readonly string[]).includes(provider))
    throw new UsageError(`--provider must be one of: ${TOKEN_PROVIDERS.join(', ')}`);
  return provider;
}

const addCommand = defineCommand({
  name: 'add',
  summary: 'keep a setup token or API key (read from stdin) in the OS keyring and land it in the gateway',
  usage: `usage: authbar token add --provider anthropic [--profile-id ID] [--expires-in 365d] [--no-vault]

Keep a setup token or API key, read from stdin (piped, or pasted at a hidden prompt), in the
OS keyring, and land it in the gateway.

  --provider anthropic  whose token it is (required)
  --profile-id ID       the gateway profile to land it in (default anthropic:setup-token, or
                        anthropic:api-key for an API key)
  --expires-in 365d     how long it lasts (d, h or m; at most 3650d)
  --no-vault            land it only: AuthBar keeps no copy`,
  options: {
    provider: { type: 'string' },
    'profile-id': { type: 'string' },
    'expires-in': { type: 'string' },
    'no-vault': { type: 'boolean' },
  },
  async run({ values }, io, deps) {
    const provider = await providerOption(values.provider, true);
    const expiresInMs = await expiresInOption(values['expires-in']);
    const secret = await readSecret(io);
    const req = {
      secret,
      provider,
      profileId: values['profile-id'],
      expiresInMs,
      mintedAt: null,
      noVault: values['no-vault'] === true,
    };
    return addToken(req, io, deps);
  },
});

const listCommand = defineCommand({
  name: 'list',
  summary: 'the tokens AuthBar keeps (masked, age, expiry, where landed)',
  usage: `usage: authbar token list [--json]

The tokens AuthBar keeps: masked, their age and expiry, whether the OS keyring holds them and
where they landed. Reads no secret.

  --json  the list as JSON`,
  options: { json: { type: 'boolean' } },
  run: ({ values }, io, deps) => listTokens(values.json === true, io, deps),
});

const removeCommand = defineCommand({
  name: 'remove',
  summary: "forget a token: AuthBar's record and its OS keyring entry",
  usage: `usage: authbar token remove ID

Remove the token kept under profile id ID (see \`authbar token list\`) from AuthBar's records and
the OS keyring. The gateway keeps its copy: the command to remove it there is printed.`,
  options: {},
  positionals: 1,
  async run({ positionals }, io, deps) {
    const id = positionals[0];
    if (id === undefined) throw new UsageError('token remove needs the profile id (see `authbar token list`)');
    return removeToken(id, io, deps);
  },
});

export const tokenCommand: CommandGroup = {
  name: 'token',
  summary: 'the setup tokens and API keys AuthBar keeps: add, list, remove',
  usage: `usage: authbar token add --provider anthropic [--profile-id ID] [--expires-in 365d] [--no-vault]
       authbar token list [--json]
       authbar token remove ID

Keep setup tokens and API keys in the OS keyring and land them in the gateway.
\`authbar token <add|list|remove> --help\` shows each one's options.`,
  subcommands: [addCommand, listCommand, removeCommand],
};

async function listTokens(json: boolean, io: CliIO, deps: EngineDeps): Promise<number> {
  const now = (deps.clock ?? systemClock).now();
  const read = await readTokenState(statePath(deps.env));
  if (read.kind === 'error') throw read.error;
  // Metadata only: listing never reads a secret from the keyring (no Keychain prompt).
  const tokens = Object.values(read.state.tokens).sort((a, b) => a.profileId.localeCompare(b.profileId));
  if (json) {
    io.stdout(jsonText({ tokens: tokens.map((t) => ({ ...t, ageMs: now - (t.mintedAt ?? t.addedAt) })) }, 2) + '\n');
    return EXIT.ok;
  }
  if (tokens.length === 0) {
    io.stdout('No tokens: add one with `authbar setup-token` or `authbar token add --provider anthropic`.\n');
    return EXIT.ok;
  }
  io.stdout(renderTokenList(tokens, now));
  return EXIT.ok;
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
    // A word on the command line that names nothing: a usage error, as an unknown --agent is.
    const known = Object.keys(read.state.tokens).sort();
    throw new UsageError(
      `no token ${profileId} in AuthBar's vault or records: ${
        known.length === 0
          ? 'it keeps none (add one with `authbar setup-token` or `authbar token add`)'
          : `it keeps ${known.join(', ')} (see \`authbar token list\`)`
      }`,
    );
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
  return EXIT.ok;
}
