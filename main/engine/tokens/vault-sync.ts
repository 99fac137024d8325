/**
 * The vault half of `authbar sync` and of the tray's Resync: land each vault token where the
 * gateway lacks it or holds another copy. What the gateway holds is judged by its adapter from
 * what it read (fingerprints, expiry): with nothing to land, no gateway CLI runs and no secret
 * is read. The secret comes out of the OS keyring only when a landing is due.
 */
import type { AgentView } from '../../../common/snapshot.js';
import { collect } from '../engine.js';
import { hostOf, type EngineDeps, type Host } from '../host.js';
import { describeError, type AuthBarError } from '../errors.js';
import { fingerprint } from '../secrets/mask.js';
import type { Landing } from './land.js';
import { readTokenState, statePath, updateTokenState } from './state.js';
import { openVault } from './vault.js';

export interface VaultSyncLine {
  profileId: string;
  landings: Landing[];
  /** Why this token did not land, one sentence; null when it landed or was up to date. */
  error: string | null;
}

export type VaultSyncResult =
  /** AuthBar's own state file is unusable: nothing was looked at. */
  | { kind: 'state-error'; error: AuthBarError }
  /** One line per vault token (none when the vault holds none). */
  | { kind: 'ok'; lines: VaultSyncLine[] };

export interface VaultSyncOptions {
  dryRun: boolean;
  /**
   * The gateway's agents as a read this run saw them (e.g. the snapshot `sync` just built);
   * when absent, the gateway is read once here (without syncing) if the vault holds tokens.
   */
  held?: readonly AgentView[];
}

export async function syncVaultTokens(deps: EngineDeps | Host, opts: VaultSyncOptions): Promise<VaultSyncResult> {
  const read = await readTokenState(statePath(deps.env));
  if (read.kind === 'error') return { kind: 'state-error', error: read.error };
  const records = Object.values(read.state.tokens).filter((t) => t.inVault);
  if (records.length === 0) return { kind: 'ok', lines: [] };
  const host = await hostOf(deps);
  const { settings, adapter } = host;
  let held: readonly AgentView[];
  try {
    held =
      opts.held ?? (await collect(host, { sync: 'skip', settings, recordFirstSeen: false, raw: true })).snapshot.agents;
  } catch (err) {
    const error = describeError(err);
    return { kind: 'ok', lines: records.map((rec) => ({ profileId: rec.profileId, landings: [], error })) };
  }
  const now = host.clock.now();
  const lines: VaultSyncLine[] = [];
  let vault: Awaited<ReturnType<typeof openVault>> | undefined;
  for (const rec of records) {
    try {
      if (!adapter.landingDue(held, rec)) {
        lines.push({ profileId: rec.profileId, landings: [], error: null });
        continue;
      }
      if (opts.dryRun) {
        lines.push({
          profileId: rec.profileId,
          landings: [
            {
              ...adapter.landingTarget,
              outcome: 'skipped',
              skip: 'dry-run',
              detail: 'would land it (dry run)',
            },
          ],
          error: null,
        });
        continue;
      }
      vault ??= await openVault(host.env, host.platform);
      const secret = await vault.get(rec.profileId);
      if (secret === null || fingerprint(secret) !== rec.fingerprint) {
        const check = await vault.check();
        lines.push({
          profileId: rec.profileId,
          landings: [],
          error: check.ok
            ? `${rec.profileId} is missing from the OS keyring: add it again with \`authbar token add\`.`
            : check.reason,
        });
        continue;
      }
      const landings = await adapter.landToken(
        { env: host.env, settings, now },
        { provider: rec.provider, profileId: rec.profileId, kind: rec.kind, secret, expiresAt: rec.expiresAt },
        'missing-or-older',
      );
      const landed = landings.filter((l) => l.outcome === 'written' || l.outcome === 'unchanged').map((l) => l.target);
      await updateTokenState(statePath(host.env), (current) => {
        const cur = current.tokens[rec.profileId];
        if (!cur || cur.fingerprint !== rec.fingerprint) return { next: null, result: undefined };
        const landedIn = [...new Set([...cur.landedIn, ...landed])].sort();
        return {
          next: { ...current, tokens: { ...current.tokens, [rec.profileId]: { ...cur, landedIn } } },
          result: undefined,
        };
      });
      lines.push({ profileId: rec.profileId, landings, error: null });
    } catch (err) {
      lines.push({ profileId: rec.profileId, landings: [], error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { kind: 'ok', lines };
}

/** Whether any token failed to land (an error, or a gateway that did not take it). */
export function vaultSyncFailed(lines: readonly VaultSyncLine[]): boolean {
  return lines.some((l) => l.error !== null || l.landings.some((x) => x.outcome === 'failed'));
}
