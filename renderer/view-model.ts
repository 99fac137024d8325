/**
 * The details window's view model (renderer/view/*): pure functions from a snapshot (and the
 * clock) to the words and rows the window shows, and the checks run on what the user types.
 * No DOM, so node's test runner covers it; renderer.ts only turns these values into elements.
 *
 * Every string that comes from a file (profile ids, paths, errors, gateway notes) goes through
 * `shown()` first: it can hold anything, so secrets are masked and control characters are
 * escaped visibly before it reaches the page.
 */
export { escapeControls } from '../common/escape.js';
export * from './view/text.js';
export { gatewayLabel, sourceLabel } from './view/labels.js';
export { expiryLine, tokenAgeLine, type ProfileRow } from './view/profile.js';
export * from './view/window-view.js';
export * from './view/live.js';
export * from './view/forms.js';
export * from './view/hosts.js';
