// A tiny element builder: h('button', {testid: 'login-submit', onclick}, 'Log in'),
// and the few form behaviours every screen shares.
import { describe, toAppError, type AppError } from './errors';

type Attrs = Record<string, unknown> & { testid?: string };
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'testid') el.dataset.testid = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k in el && typeof v !== 'string') (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

let ids = 0;
/** A labelled input: every field has a visible label tied to it. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  input.id ||= `f${++ids}`;
  const hintEl = hint ? h('small', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl);
}

/** The error line of a form: hidden until there is something to say. */
export function errorLine(): HTMLParagraphElement {
  return h('p', { class: 'error', role: 'alert', testid: 'error-message', hidden: true });
}

export function showError(line: HTMLElement, text: string | null): void {
  line.textContent = text ?? '';
  line.hidden = !text;
}

/**
 * Submit `form` through `action`: the error line is cleared first, the button is
 * busy while it runs, and a failure lands in the error line (after `onError`,
 * which may react to its code).
 */
export function onSubmit(
  form: HTMLFormElement,
  button: HTMLButtonElement,
  busyLabel: string,
  error: HTMLElement,
  action: () => Promise<void>,
  onError?: (e: AppError) => void,
): void {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(error, null);
    try {
      await busy(button, busyLabel, action);
    } catch (e) {
      const err = toAppError(e);
      onError?.(err);
      showError(error, describe(err));
    }
  });
}

/**
 * Run a network action with its button disabled and a busy label, so nothing
 * is submitted twice and the person sees progress.
 */
export async function busy<T>(button: HTMLButtonElement, label: string, action: () => Promise<T>): Promise<T> {
  const before = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await action();
  } finally {
    button.removeAttribute('aria-busy');
    button.textContent = before;
    button.disabled = false;
  }
}
