/** The settings form: filled from the main process, saved as a patch of what changed. */
import type { Settings } from '../common/settings.js';
import { bridge, state } from './bridge.js';
import { byId, h } from './dom.js';
import { run, say } from './status.js';
import { settingsPatch, shown, type SettingsForm } from './view-model.js';

const settingsForm = byId<HTMLFormElement>('settings');
const warnHours = byId<HTMLInputElement>('warn-hours');
const reminderDays = byId<HTMLInputElement>('reminder-days');
const notifications = byId<HTMLInputElement>('notifications');
const terminal = byId<HTMLInputElement>('terminal');
const allAgents = byId<HTMLInputElement>('all-agents');
const agentChoices = byId<HTMLDivElement>('agent-choices');
const settingsError = byId<HTMLParagraphElement>('settings-error');
const settingsSave = byId<HTMLButtonElement>('settings-save');

function chosenAgents(): string[] {
  return [...agentChoices.querySelectorAll<HTMLInputElement>('input[type=checkbox]')]
    .filter((c) => c.checked)
    .map((c) => c.value);
}

/** One checkbox per agent known from the snapshot or the settings; checked state survives redraws. */
export function renderAgentChoices(): void {
  const ids = new Set<string>([
    ...(state.snapshot?.agents.map((a) => a.agentId) ?? []),
    ...(state.settings?.agents ?? []),
  ]);
  const existing = new Map(
    [...agentChoices.querySelectorAll<HTMLInputElement>('input[type=checkbox]')].map((c) => [c.value, c.checked]),
  );
  if (existing.size === ids.size && [...ids].every((id) => existing.has(id))) return;
  agentChoices.replaceChildren(
    ...[...ids].map((id) => {
      const box = h('input', { attrs: { type: 'checkbox' } });
      box.value = id;
      box.checked =
        existing.get(id) ??
        (state.settings?.agents === null || state.settings?.agents === undefined
          ? true
          : state.settings.agents.includes(id));
      box.disabled = allAgents.checked;
      return h('label', { class: 'check' }, box, ` ${shown(id, 80)}`);
    }),
  );
}

export function fillSettings(s: Settings): void {
  state.settings = s;
  warnHours.value = String(s.warnHours);
  reminderDays.value = String(s.tokenReminderDays);
  notifications.checked = s.notifications;
  terminal.value = s.terminal ?? '';
  allAgents.checked = s.agents === null;
  agentChoices.replaceChildren();
  renderAgentChoices();
}

allAgents.addEventListener('change', () => {
  for (const box of agentChoices.querySelectorAll<HTMLInputElement>('input[type=checkbox]'))
    box.disabled = allAgents.checked;
});

settingsForm.addEventListener('submit', (e) => {
  e.preventDefault();
  if (state.settings === null) {
    settingsError.textContent = 'The settings have not loaded yet: close and reopen the window.';
    return;
  }
  for (const el of [warnHours, reminderDays, terminal]) el.removeAttribute('aria-invalid');
  const form: SettingsForm = {
    warnHours: warnHours.value,
    notifications: notifications.checked,
    allAgents: allAgents.checked,
    agents: chosenAgents(),
    terminal: terminal.value,
    tokenReminderDays: reminderDays.value,
  };
  const result = settingsPatch(state.settings, form);
  if (!result.ok) {
    settingsError.textContent = result.error;
    const field = { warnHours, tokenReminderDays: reminderDays, terminal, agents: allAgents, notifications, allAgents }[
      result.field
    ];
    field.setAttribute('aria-invalid', 'true');
    field.focus();
    return;
  }
  settingsError.textContent = '';
  if (Object.keys(result.patch).length === 0) {
    say('Nothing to save: the settings are unchanged.', 'muted');
    return;
  }
  void run(settingsSave, 'Saving…', () => bridge.setSettings(result.patch)).then(async (r) => {
    if (r && !r.ok) settingsError.textContent = shown(r.error);
    if (r?.ok) fillSettings(await bridge.getSettings());
  });
});
