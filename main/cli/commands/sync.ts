/** `authbar sync`: copy the logins into every agent's store, and land the vault's tokens. */
import { collect } from '../../engine/engine.js';
import type { Snapshot } from '../../../common/snapshot.js';
import { resolveHost } from '../../engine/host.js';
import { forTerminal, jsonText, scrubDeep } from '../../engine/secrets/scrub.js';
import { UsageError } from '../args.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { agentsOption } from '../options.js';
import { renderProblems, renderSync } from '../render/status.js';
import { renderVaultSync, vaultSyncRows } from '../render/tokens.js';

type VaultLines = ReadonlyArray<{
  profileId: string;
  error: string | null;
  landings: ReadonlyArray<{ outcome: string }>;
}>;

export const syncCommand = defineCommand({
  name: 'sync',
  summary: "copy Claude Code / Codex / Qwen logins into every agent's store",
  usage: `usage: authbar sync [--dry-run] [--json] [--agent ID]

Copy Claude Code / Codex / Qwen logins into every agent's store (Clawdbot; under OpenClaw it
copies nothing and says why), and land the tokens AuthBar keeps where the gateway lacks them.

  --dry-run   say what would change; write nothing
  --json      the report as JSON
  --agent ID  only these agents (a comma-separated list)`,
  options: {
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    agent: { type: 'string' },
  },
  async run({ values }, io, deps) {
    const dryRun = values['dry-run'] === true;
    const json = values.json === true;
    const agents = agentsOption(values.agent);
    const host = await resolveHost(deps);
    const { snapshot } = await collect(host, { sync: dryRun ? 'dry-run' : 'apply', ...(agents ? { agents } : {}) });
    if (agents && snapshot.agents.length === 0)
      throw new UsageError(`no agent named ${agents.join(', ')} under ${snapshot.stateDir}/agents`);
    // Vault tokens the gateway lacks or holds an older copy of (reads the keyring only then);
    // under OpenClaw this is all a sync does (through its own paste-token).
    const { syncVaultTokens, vaultSyncFailed } = await import('../../engine/tokens/vault-sync.js');
    // What the gateway holds comes from this run's read (all of it only without --agent).
    const vaultResult = await syncVaultTokens(host, { dryRun, ...(agents ? {} : { held: snapshot.agents }) });
    const vault = vaultSyncRows(vaultResult);
    // AuthBar's state file is unusable (65), or a token did not land (74).
    const vaultExit =
      vaultResult.kind === 'state-error' ? EXIT.dataErr : vaultSyncFailed(vaultResult.lines) ? EXIT.ioErr : EXIT.ok;
    const vaultText = renderVaultSync(vaultResult);
    if (snapshot.gateway.syncCopiesLogins === false)
      return syncNothing({ dryRun, json }, io, snapshot, vault, vaultText, vaultExit);
    if (json) {
      const report = {
        dryRun,
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
      io.stdout(jsonText(scrubDeep(report), 2) + '\n');
    } else {
      io.stdout(renderSync(snapshot.agents) + vaultText);
    }
    io.stderr(renderProblems(snapshot));
    if (vaultExit !== EXIT.ok) return vaultExit;
    if (snapshot.agents.some((a) => a.error !== null)) return EXIT.dataErr;
    const syncErrors = snapshot.agents.map((a) => a.sync.errorCode).filter((e): e is string => e !== null);
    if (syncErrors.includes('lock-failed')) return EXIT.tempFail;
    if (syncErrors.length > 0) return EXIT.cantCreate;
    if (snapshot.sources.some((s) => s.status === 'invalid' || s.status === 'unreadable')) return EXIT.dataErr;
    // Held back (an entry AuthBar did not write sits at the login's profile id): nothing failed, but the sync is not done.
    if (snapshot.agents.some((a) => (a.heldBack ?? []).length > 0)) return EXIT.soon;
    return EXIT.ok;
  },
});

/** A gateway that takes no copied logins (OpenClaw): sync says why, and writes no file. */
function syncNothing(
  opts: { dryRun: boolean; json: boolean },
  io: CliIO,
  snapshot: Snapshot,
  vault: VaultLines,
  vaultText: string,
  vaultExit: number,
): number {
  if (opts.json) {
    const report = {
      dryRun: opts.dryRun,
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
    };
    io.stdout(jsonText(scrubDeep(report), 2) + '\n');
  } else {
    io.stdout(
      forTerminal(
        `${snapshot.gateway.name ?? snapshot.gateway.kind} at ${snapshot.gateway.stateDir}: nothing to sync. ${snapshot.gateway.syncNote ?? ''}`,
      ) +
        '\n' +
        vaultText,
    );
  }
  return vaultExit;
}
