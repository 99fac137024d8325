/** The status table's section on setup tokens: age, expiry, vault, and how to renew. */
import type { Snapshot } from '../../../common/snapshot.js';
import { forTerminal } from '../../engine/secrets/scrub.js';

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function renderTokenAges(snapshot: Snapshot): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const agent of snapshot.agents) {
    for (const p of agent.profiles) {
      if (!p.token || seen.has(`${p.profileId}/${p.fingerprint}`)) continue;
      seen.add(`${p.profileId}/${p.fingerprint}`);
      const t = p.token;
      const days = Math.floor(t.ageMs / 86_400_000);
      const age = t.mintedAt !== null ? `${days} days old` : `at least ${days} days old`;
      const exp =
        t.expiresAt === null
          ? 'expiry unknown'
          : `${t.expiryKind === 'estimated' ? 'expires about' : 'expires'} ${day(t.expiresAt)}`;
      lines.push(
        `  ${p.profileId} ${p.masked ?? ''}: ${age}, ${exp}, ${t.inVault ? 'in the vault' : 'not in the vault'}; renew with \`${t.renewCommand}\``,
      );
    }
  }
  if (snapshot.vault) {
    for (const e of snapshot.vault.entries) {
      if (seen.has(`${e.profileId}/${e.fingerprint}`)) continue;
      lines.push(`  ${e.profileId} ${e.masked}: in the vault, not found in any store; run \`authbar sync\` to land it`);
    }
  }
  // Profile ids come from files: escaped like every other line of the table.
  return lines.length === 0 ? '' : `\nSetup tokens\n${lines.map((l) => forTerminal(l)).join('\n')}\n`;
}
