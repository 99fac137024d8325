/**
 * The details window. Draws the view model (view-model.ts) with DOM calls and textContent
 * only — never innerHTML: every string may come from a file and can hold anything. Talks to
 * the main process only through `window.authbar` (bridge.ts).
 */
import type { Snapshot } from '../common/snapshot.js';
import { parseRouteHash } from '../common/window-route.js';
import { showAddForm } from './add-token-form.js';
import { bridge, state } from './bridge.js';
import { fillSettings, renderAgentChoices } from './settings-form.js';
import { applyPendingRoute, renderSnapshot, route } from './snapshot-view.js';
import { byId } from './dom.js';
import { renderHosts } from './hosts-view.js';
import { run, say } from './status.js';

const resyncButton = byId<HTMLButtonElement>('resync');
resyncButton.addEventListener('click', () => void run(resyncButton, 'Resyncing…', () => bridge.resync()));
const setupButton = byId<HTMLButtonElement>('setup-token');
setupButton.addEventListener(
  'click',
  () => void run(setupButton, 'Opening a terminal…', () => bridge.openSetupToken()),
);

function redraw(): void {
  renderSnapshot();
  renderHosts();
  renderAgentChoices();
}

// Route: the app opens the window at `#profile=<agent/profile>` or `#add-token`.
function applyRoute(): void {
  const parsed = parseRouteHash(window.location.hash);
  route.pending = parsed.kind === 'profile' ? parsed : null;
  if (parsed.kind === 'add-token') showAddForm(true);
  else applyPendingRoute();
}

bridge.onSnapshot((s) => {
  state.snapshot = s;
  redraw();
});
bridge.onHosts((hosts) => {
  state.hosts = hosts;
  renderHosts();
});
// Relative times ("updated 3 min ago") move on while the window is open.
setInterval(redraw, 30_000);

void (async () => {
  try {
    const [s, current, hosts] = await Promise.all([bridge.getSnapshot(), bridge.getSettings(), bridge.getHosts()]);
    // Pushed reports may have arrived while waiting; the pushed ones are the newer.
    if (state.hosts.length === 0) state.hosts = hosts;
    // A pushed snapshot may have arrived while waiting: keep the newer one.
    const pushed = state.snapshot as Snapshot | null;
    if (s && (pushed === null || s.generatedAt > pushed.generatedAt)) state.snapshot = s;
    fillSettings(current);
  } catch (err) {
    say(`Could not load the current state: ${err instanceof Error ? err.message : String(err)}`, 'now');
  }
  redraw();
  applyRoute();
})();
window.addEventListener('hashchange', applyRoute);
