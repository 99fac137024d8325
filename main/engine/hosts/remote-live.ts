/**
 * The live view of an OpenClaw host without AuthBar (HostsWatch's `remoteLive`): its gateway
 * asked through a port forwarded over the host's ssh connection. The work is OpenClaw's, in its
 * folder (gateways/openclaw/live/remote-live.ts), loaded through the registry when first asked.
 */
import type { HostEntry } from '../../../common/hosts.js';
import type { LiveView } from '../../../common/snapshot.js';
import { openClawRemoteLive } from '../gateways/registry.js';
import type { RemoteLiveAsk } from './watch-types.js';

type RemoteLiveModule = Awaited<ReturnType<typeof openClawRemoteLive>>;
/** The live client's deps (env, platform, clock, client version, owner) plus the ssh step timeout. */
export type RemoteLiveDeps = Parameters<RemoteLiveModule['remoteLive']>[1];

/** Never throws: a problem is a LiveView state with a sentence and a fix. */
export async function remoteLive(entry: HostEntry, deps: RemoteLiveDeps): Promise<LiveView> {
  return (await openClawRemoteLive()).remoteLive(entry, deps);
}

/**
 * The `remoteLive` HostsWatch takes: who asks (`owner`, version, platform, clock) is fixed
 * here; the watch gives the environment, the control dir and an abort signal per question.
 * A host whose `openclaw` is not on the ssh PATH has no gateway that answers: null.
 */
export function remoteLiveAsk(base: Omit<RemoteLiveDeps, 'env' | 'controlDir' | 'signal'>): RemoteLiveAsk {
  return async (entry, { env, controlDir, signal }) => {
    if (signal.aborted) return null;
    const view = await remoteLive(entry, { ...base, env, controlDir, signal });
    return signal.aborted || view.reasonCode === 'not-openclaw' ? null : view;
  };
}
