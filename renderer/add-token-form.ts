/** The Add-token sheet: checked by the shared rules before the token is sent, cleared at once. */
import { bridge } from './bridge.js';
import { byId } from './dom.js';
import { run } from './status.js';
import { checkExpiresInDays, checkProfileId, checkToken } from './view-model.js';

const addToggle = byId<HTMLButtonElement>('add-token-toggle');
// Not `add-token`: that is the route's hash, and a hash naming an element moves focus to it on load.
const addForm = byId<HTMLFormElement>('add-token-sheet');
const tokenInput = byId<HTMLInputElement>('token-input');
const tokenProfile = byId<HTMLInputElement>('token-profile');
const tokenDays = byId<HTMLInputElement>('token-days');
const tokenError = byId<HTMLParagraphElement>('token-error');
const addSubmit = byId<HTMLButtonElement>('add-token-submit');

export function showAddForm(open: boolean): void {
  if (open && !addForm.hidden) {
    tokenInput.focus();
    return;
  }
  addForm.hidden = !open;
  addToggle.setAttribute('aria-expanded', String(open));
  tokenInput.value = '';
  tokenError.textContent = '';
  tokenInput.removeAttribute('aria-invalid');
  if (open) tokenInput.focus();
  else addToggle.focus();
}

addToggle.addEventListener('click', () => showAddForm(addForm.hidden));
byId<HTMLButtonElement>('add-token-cancel').addEventListener('click', () => showAddForm(false));
addForm.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') showAddForm(false);
});

function fieldError(input: HTMLInputElement, message: string): void {
  tokenError.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

addForm.addEventListener('submit', (e) => {
  e.preventDefault();
  tokenInput.removeAttribute('aria-invalid');
  tokenProfile.removeAttribute('aria-invalid');
  tokenDays.removeAttribute('aria-invalid');
  const token = checkToken(tokenInput.value);
  if (!token.ok) return fieldError(tokenInput, token.error);
  const profile = checkProfileId(tokenProfile.value);
  if (!profile.ok) return fieldError(tokenProfile, profile.error);
  const days = checkExpiresInDays(tokenDays.value);
  if (!days.ok) return fieldError(tokenDays, days.error);
  tokenError.textContent = '';
  // The secret leaves the field at once: it lives only in this request from here on.
  tokenInput.value = '';
  const req = {
    provider: 'anthropic' as const,
    token: token.token,
    ...(profile.profileId ? { profileId: profile.profileId } : {}),
    ...(days.days ? { expiresInDays: days.days } : {}),
  };
  void run(addSubmit, 'Adding…', () => bridge.addToken(req)).then((result) => {
    if (result?.ok) {
      tokenProfile.value = '';
      tokenDays.value = '';
      addForm.hidden = true;
      addToggle.setAttribute('aria-expanded', 'false');
      addToggle.focus();
    } else {
      tokenInput.focus();
    }
  });
});
