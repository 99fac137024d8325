/**
 * Landing a token in OpenClaw: only through its own CLI (`openclaw models auth paste-token`,
 * the token on its stdin, `--expires-in` so OpenClaw knows when it dies). AuthBar never writes
 * a file in OpenClaw's state dir.
 */
import * as z from 'zod/mini';
import { AuthBarError } from '../../errors.js';
import { findGatewayCli, gatewayCli, type GatewayCli } from '../cli-runner.js';
import { maskSecret } from '../../secrets/mask.js';
import { notOlderDetail, type LandDeps, type LandPolicy, type Landing, type TokenToLand } from '../../tokens/land.js';
import { shellQuote } from '../../../../common/shell.js';

// What AuthBar reads of `openclaw models status --json` (read-only; plain status writes).
const OpenClawStatus = z.looseObject({
  auth: z.looseObject({
    providers: z.optional(
      z.array(
        z.looseObject({
          provider: z.string(),
          profiles: z.optional(z.looseObject({ labels: z.optional(z.array(z.string())) })),
        }),
      ),
    ),
    oauth: z.optional(
      z.looseObject({
        profiles: z.array(
          z.looseObject({ profileId: z.string(), type: z.string(), expiresAt: z.optional(z.nullable(z.number())) }),
        ),
      }),
    ),
  }),
});

export function openclawCli(deps: Pick<LandDeps, 'env' | 'settings'>): GatewayCli {
  const bin = findGatewayCli('openclaw', deps.env, deps.settings.gatewayCli);
  if (bin === null) {
    throw new AuthBarError(
      'gateway-cli',
      deps.settings.gatewayCli !== null
        ? `The gateway CLI ${deps.settings.gatewayCli} named in AuthBar's settings is not an executable file: fix "gatewayCli" in the settings file.`
        : 'The `openclaw` command is not on PATH: install OpenClaw, or set "gatewayCli" in AuthBar\'s settings file to its full path.',
    );
  }
  return gatewayCli('openclaw', bin, deps.env);
}

/** One plain line out of a gateway's error output, ANSI removed and any secret masked. */
function gatewayMessage(text: string, secret: string): string {
  const lines = text
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /error|invalid|fail|refus/i.test(l)) ?? lines[lines.length - 1] ?? 'no message';
  return line.split(secret).join(maskSecret(secret)).slice(0, 300);
}

/** What OpenClaw holds under a profile id: its type, expiry and the tail of its masked secret. */
export async function openclawHolding(
  cli: GatewayCli,
  profileId: string,
): Promise<{ type: string; expiresAt: number | null; tail: string | null } | null> {
  const r = await cli.run(['models', 'status', '--json'], { timeoutMs: 120_000 });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  } catch {
    throw new AuthBarError(
      'gateway-cli',
      `\`openclaw models status --json\` printed no JSON (exit ${r.code ?? r.signal}): run it yourself to see why.`,
    );
  }
  const parsed = OpenClawStatus.safeParse(json);
  if (!parsed.success)
    throw new AuthBarError(
      'gateway-cli',
      '`openclaw models status --json` printed JSON of a shape AuthBar does not know: update AuthBar.',
    );
  const profile = parsed.data.auth.oauth?.profiles.find((p) => p.profileId === profileId);
  if (!profile) return null;
  // Labels read `<id>=<type>:<first 8>...<last 8>`: the tail tells whether it is our token.
  let tail: string | null = null;
  for (const p of parsed.data.auth.providers ?? []) {
    for (const label of p.profiles?.labels ?? []) {
      if (!label.startsWith(`${profileId}=`)) continue;
      const masked = label.slice(label.indexOf(':', profileId.length + 1) + 1);
      const i = masked.lastIndexOf('...');
      if (i !== -1) tail = masked.slice(i + 3);
    }
  }
  return { type: profile.type, expiresAt: profile.expiresAt ?? null, tail };
}

export async function landInOpenClaw(
  deps: LandDeps,
  t: TokenToLand,
  policy: LandPolicy,
  label: string,
): Promise<Landing> {
  const target = 'openclaw';
  const cli = openclawCli(deps);
  const held = await openclawHolding(cli, t.profileId);
  if (held !== null) {
    const ours = held.tail !== null && held.tail.length >= 4 && t.secret.endsWith(held.tail);
    // OpenClaw computes the expiry from its own clock when it stores the token: a few seconds apart.
    const sameExpiry =
      (held.expiresAt === null && t.expiresAt === null) ||
      (held.expiresAt !== null && t.expiresAt !== null && Math.abs(held.expiresAt - t.expiresAt) < 10 * 60_000);
    if (ours && sameExpiry) return { target, label, outcome: 'unchanged', detail: null };
    if (
      policy === 'missing-or-older' &&
      !ours &&
      !(t.expiresAt !== null && (held.expiresAt === null || held.expiresAt < t.expiresAt))
    ) {
      return { target, label, outcome: 'skipped', skip: 'not-older', detail: notOlderDetail(t.profileId) };
    }
  }
  const args =
    t.kind === 'api-key'
      ? ['models', 'auth', 'paste-api-key', '--provider', t.provider, '--profile-id', t.profileId]
      : [
          'models',
          'auth',
          'paste-token',
          '--provider',
          t.provider,
          '--profile-id',
          t.profileId,
          ...(t.expiresAt !== null
            ? ['--expires-in', `${Math.max(1, Math.round((t.expiresAt - (deps.clock ?? Date.now)()) / 1000))}s`]
            : []),
        ];
  const r = await cli.run(args, { stdin: t.secret + '\n', timeoutMs: 120_000 });
  if (r.code !== 0) {
    const why = r.timedOut
      ? 'it did not finish within 2 minutes'
      : `exit ${r.code ?? r.signal}: ${gatewayMessage(r.stderr + '\n' + r.stdout, t.secret)}`;
    return {
      target,
      label,
      outcome: 'failed',
      detail: `\`openclaw models auth ${args[2]}\` did not take the token (${why}); run \`openclaw doctor\`, then try again.`,
    };
  }
  // Read back what OpenClaw made of `--expires-in`, so AuthBar records the very same date.
  const after = await openclawHolding(cli, t.profileId).catch(() => null);
  return { target, label, outcome: 'written', detail: null, ...(after ? { storedExpiresAt: after.expiresAt } : {}) };
}

/** The command that removes a profile from OpenClaw (AuthBar does not do it for you). */
export function openClawRemoveCommand(profileId: string): string {
  return `openclaw models auth logout ${shellQuote(profileId)}`;
}
