/**
 * PLACEHOLDER EngineService until the monitor lands (watch branch): re-collects on start, on
 * resync, after a settings change and every `intervalMs`. It emits no notices (the notify
 * policy comes with the monitor) and cannot add tokens (the vault comes with the tokens
 * branch). At merge, replace it with an adapter over monitor.ts + notify-policy.ts.
 */
import { collect, type EngineDeps } from '../engine/engine.js';
import { describeError } from '../engine/errors.js';
import type { Notice } from '../engine/notices.js';
import { resolvePaths } from '../engine/paths.js';
import { readSettings, type Settings } from '../engine/settings.js';
import type { AddTokenRequest, CommandResult } from './bridge.js';
import type { EngineService, EngineState } from './engine-service.js';
import type { SettingsPatch } from './ipc-schemas.js';
import { writeSettingsPatch } from './settings-file.js';

export class PollingEngineService implements EngineService {
  private state: EngineState = { snapshot: null, error: null };
  private readonly listeners = new Set<(s: EngineState) => void>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CommandResult> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly intervalMs = 5 * 60_000,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.run(false);
    this.timer = setInterval(() => void this.run(false), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    this.listeners.clear();
  }

  current(): EngineState {
    return this.state;
  }

  subscribe(cb: (s: EngineState) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  subscribeNotices(_cb: (n: Notice) => void): () => void {
    return () => undefined;
  }

  resync(): Promise<CommandResult> {
    return this.run(true);
  }

  async addToken(_req: AddTokenRequest): Promise<CommandResult> {
    return { ok: false, error: 'Adding a token needs AuthBar’s vault, which this build does not have yet: use `authbar token add` once it does.' };
  }

  async getSettings(): Promise<Settings> {
    return (await readSettings(resolvePaths(this.deps.env).settings)).settings;
  }

  async setSettings(patch: SettingsPatch): Promise<CommandResult> {
    const result = await writeSettingsPatch(resolvePaths(this.deps.env).settings, patch);
    if (result.ok) await this.run(false);
    return result;
  }

  async pauseNotifications(_until: number | null): Promise<void> {
    // No policy here: the app's own pause is all there is.
  }

  /** One collect at a time; a request during a run waits for that run. */
  private run(interactive: boolean): Promise<CommandResult> {
    if (this.running) return this.running;
    this.running = (async (): Promise<CommandResult> => {
      try {
        const { snapshot } = await collect(this.deps, { sync: 'apply', interactive });
        this.publish({ snapshot, error: null });
        return { ok: true, message: 'Resynced.' };
      } catch (err) {
        const error = describeError(err);
        // Keep the last snapshot: stale data is shown with its age, not hidden.
        this.publish({ snapshot: this.state.snapshot, error });
        return { ok: false, error };
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private publish(state: EngineState): void {
    if (this.stopped) return;
    this.state = state;
    for (const cb of this.listeners) cb(state);
  }
}
