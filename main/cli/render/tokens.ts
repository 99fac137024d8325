/** Tokens on a terminal: the status table's section, `token list`'s table, and the vault half of `sync`. */
import type { Snapshot } from '../../../common/snapshot.js';
import { formatDuration } from '../../engine/health.js';
import { forTerminal } from '../../engine/secrets/scrub.js';
import { ageWords, TOKEN_LIFETIME_MS } from '../../engine/tokens/age.js';
import type { Landing } from '../../engine/tokens/land.js';
import type { TokenRecord } from '../../engine/tokens/state.js';
import type { VaultSyncLine, VaultSyncResult } from '../../engine/tokens/vault-sync.js';
import { isoTime, isRepresentableTime } from '../../engine/time.js';
import { renderTable } from './table.js';

const DAY = 86_400_000;

/** `2027-01-31`. */
export function isoDay(ms: number): string {
  // A host's snapshot may carry any number: a time no Date holds is said in words, not thrown.
  return isRepresentableTime(ms) ? new Date(ms).toISOString().slice(0, 10) : isoTime(ms);
}

/** The status table's section on setup tokens: age, expiry, vault, and how to renew. */
/** `renew`: for a remote host, the command that renews a profile from here (never the host's own text). */
export function renderTokenAges(snapshot: Snapshot, renew?: (profileId: string) => string): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  // Every profile counts as a store holding a vault entry (an API key has no token view).
  const held = new Set(snapshot.agents.flatMap((a) => a.profiles.map((p) => `${p.profileId}/${p.fingerprint}`)));
  for (const agent of snapshot.agents) {
    for (const p of agent.profiles) {
      if (!p.token || seen.has(`${p.profileId}/${p.fingerprint}`)) continue;
      seen.add(`${p.profileId}/${p.fingerprint}`);
      const t = p.token;
      const age = ageWords(t.ageMs, t.mintedAt !== null);
      const exp =
        t.expiresAt === null
          ? 'expiry unknown'
          : `${t.expiresAt <= snapshot.generatedAt ? 'expired' : t.expiryKind === 'estimated' ? 'expires about' : 'expires'} ${isoDay(t.expiresAt)}`;
      lines.push(
        `  ${p.profileId} ${p.masked ?? ''}: ${age}, ${exp}, ${t.inVault ? 'in the vault' : 'not in the vault'}; renew with \`${renew ? renew(p.profileId) : t.renewCommand}\``,
      );
    }
  }
  if (snapshot.vault) {
    for (const e of snapshot.vault.entries) {
      if (held.has(`${e.profileId}/${e.fingerprint}`)) continue;
      lines.push(`  ${e.profileId} ${e.masked}: in the vault, not found in any store; run \`authbar sync\` to land it`);
    }
  }
  // Profile ids come from files: escaped like every other line of the table.
  return lines.length === 0 ? '' : `\nSetup tokens\n${lines.map((l) => forTerminal(l)).join('\n')}\n`;
}

/** `token list`: one row per token AuthBar keeps (metadata only: masked, never the secret). */
export function renderTokenList(tokens: readonly TokenRecord[], now: number): string {
  const rows = [['PROFILE', 'TOKEN', 'AGE', 'EXPIRES', 'VAULT', 'LANDED IN']];
  for (const t of tokens) {
    const age = Math.floor((now - (t.mintedAt ?? t.addedAt)) / DAY);
    const ageText = t.mintedAt !== null ? `${age} d` : `at least ${age} d`;
    // Only a setup token has a one-year life to estimate; an API key does not expire.
    const exp =
      t.expiresAt !== null
        ? `${isoDay(t.expiresAt)} (${t.expiresAt - now <= 0 ? 'expired' : `in ${formatDuration(t.expiresAt - now)}`})`
        : t.kind === 'setup-token'
          ? `~${isoDay((t.mintedAt ?? t.addedAt) + TOKEN_LIFETIME_MS)} (estimated)`
          : 'never';
    const landed = t.landedIn.join(',') || '-';
    rows.push([t.profileId, t.masked, ageText, exp, t.inVault ? 'yes' : 'no', landed].map((c) => forTerminal(c)));
  }
  return renderTable(rows).join('\n') + '\n';
}

/** One landing, as a clause: "landed in agent main", "OpenClaw: FAILED: …" (the engine names the place). */
export function describeLanding(l: Landing): string {
  const where = l.label ?? `agent ${l.target}`;
  if (l.outcome === 'written') return `landed in ${where}`;
  if (l.outcome === 'unchanged') return `${where} already holds it (unchanged)`;
  if (l.outcome === 'skipped') return `${where}: skipped: ${l.detail}`;
  return `${where}: FAILED: ${l.detail}`;
}

/** The vault sync's lines as the CLI shows them; an unusable state file as one row named `-`. */
export function vaultSyncRows(result: VaultSyncResult): VaultSyncLine[] {
  return result.kind === 'state-error' ? [{ profileId: '-', landings: [], error: result.error.message }] : result.lines;
}

/** The vault half of `sync`: a line per token (and per landing). */
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
