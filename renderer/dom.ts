/** The window's few DOM helpers: text goes in as text nodes, never as markup. */
import type { Line, Tone } from './view-model.js';

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The details window lacks #${id}.`);
  return el as T;
}

export type Child = Node | string | null | undefined | false;

/** A tiny element builder: text goes in as text nodes, never as markup. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; tone?: Tone; attrs?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.tone) el.dataset['tone'] = props.tone;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function lineEl(line: Line, cls = 'line'): HTMLElement {
  return h(
    'p',
    { class: cls, tone: line.tone ?? 'muted' },
    h('span', { class: 'line-text' }, line.text),
    line.detail ? h('span', { class: 'line-detail' }, line.detail) : null,
  );
}
