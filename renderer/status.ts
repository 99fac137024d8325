/** The live region under the buttons, and running a bridge command with its button busy. */
import type { CommandResult } from '../common/ipc-contract.js';
import { byId } from './dom.js';
import { shown, type Tone } from './view-model.js';

const statusEl = byId<HTMLParagraphElement>('status');

export function say(text: string, tone: Tone): void {
  statusEl.textContent = shown(text);
  statusEl.dataset['tone'] = tone;
}

/** Runs a bridge command with its button disabled, and says how it went. */
export async function run(
  button: HTMLButtonElement,
  busyLabel: string,
  command: () => Promise<CommandResult>,
): Promise<CommandResult | null> {
  const label = button.textContent ?? '';
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyLabel;
  say(busyLabel, 'muted');
  try {
    const result = await command();
    if (result.ok) say(result.message, 'ok');
    else say(result.error, 'now');
    return result;
  } catch (err) {
    say(`The app did not answer: ${err instanceof Error ? err.message : String(err)}`, 'now');
    return null;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
    // A button that was focused keeps focus after its label changes back.
  }
}
