// The few form behaviours every screen shares: labelled fields, the error
// line, announcements, busy buttons and actions that reach the cloud. (The
// element builder itself is element.ts, below the banner that this uses.)
import { cloudDown, cloudUp, sessionEnded } from './connectivity';
import { h, withFlags } from './element';
import { describe, toAppError, type AppError } from './errors';
import { t } from './i18n';

let ids = 0;
/** A labelled input: every field has a visible label tied to it. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  input.id ||= `f${++ids}`;
  const hintEl = hint ? h('small', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl);
}

/**
 * Say `text` to screen readers (a polite live region shared by every screen):
 * countdowns are not read out every second, only when something changes for
 * the person (a code expired, a wait is over).
 */
let pending: string[] = [];
export function announce(text: string): void {
  let region = document.getElementById('announcer');
  if (!region) {
    region = h('div', { id: 'announcer', class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', testid: 'announcer' });
    document.body.append(region);
  }
  // Sentences said in the same moment are read together, none lost.
  pending.push(text);
  if (pending.length > 1) return;
  region.textContent = '';
  const say = region;
  window.setTimeout(() => {
    say.textContent = pending.join(' ');
    pending = [];
  }, 50);
}

/** Put the keyboard focus on a heading (which cannot take it by Tab): where
 * a screen reader starts reading after a screen or a panel changed. */
export function focusHeading(heading: HTMLElement): void {
  heading.tabIndex = -1;
  heading.focus();
}

/** The error line of a form: hidden until there is something to say. */
export function errorLine(): HTMLParagraphElement {
  return h('p', { class: 'error', role: 'alert', testid: 'error-message', hidden: true });
}

export function showError(line: HTMLElement, text: string | null): void {
  line.replaceChildren(...withFlags(text ?? ''));
  line.hidden = !text;
}

/** Sees a failure first; 'handled' keeps it out of the error line. */
export type OnError = (e: AppError) => void | 'handled';

/**
 * Run a network action from `button`: the error line is cleared first, the
 * button is busy while it runs (a second press does nothing), and a failure
 * lands in the error line after `onError` has seen it (unless it
 * says 'handled'). A session the cloud has ended goes to the handler main
 * registered (back to login). An unreachable cloud also
 * raises the banner, whose "Try again" runs the same action from the same button.
 * Resolves to whether the action succeeded.
 */
export async function act(
  button: HTMLButtonElement,
  busyLabel: string,
  error: HTMLElement,
  action: () => Promise<void>,
  onError?: OnError,
): Promise<boolean> {
  if (button.getAttribute('aria-busy') === 'true') return false;
  showError(error, null);
  try {
    await busy(button, busyLabel, action);
    cloudUp();
    return true;
  } catch (e) {
    const err = toAppError(e);
    // A session the cloud has ended leaves the screen altogether.
    if (sessionEnded(err)) return false;
    if (cloudAway(err)) {
      cloudDown(err, () => act(button, busyLabel, error, action, onError));
    } else {
      cloudUp();
    }
    if (onError?.(err) !== 'handled') {
      // The banner explains an unreachable cloud at length; the form only
      // needs to say that this action did not go through.
      showError(error, formLine(err));
    }
    return false;
  }
}

/** The cloud did not answer, answered with a certificate this app refuses, or with a server error. */
export function cloudAway(err: AppError): boolean {
  return err.code === 'unreachable' || err.code === 'certificate' || err.code === 'cloud_error';
}

/** What the form's error line says; the banner explains a cloud that is away at length. */
function formLine(err: AppError): string {
  if (err.code === 'unreachable') return t('form.unreachable');
  if (err.code === 'certificate') return t('form.certificate');
  if (err.code === 'cloud_error') return t('form.cloudError');
  return describe(err);
}

/** Submit `form` through `action` (see `act`); Enter in any field submits. */
export function onSubmit(
  form: HTMLFormElement,
  button: HTMLButtonElement,
  busyLabel: string,
  error: HTMLElement,
  action: () => Promise<void>,
  onError?: OnError,
): void {
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act(button, busyLabel, error, action, onError);
  });
}

/** After this long without an answer, a busy button says the cloud is slow. */
const SLOW_MS = 4000;

/**
 * Run a network action with its button disabled and a busy label, so nothing
 * is submitted twice and the person sees progress.
 */
export async function busy<T>(button: HTMLButtonElement, label: string, action: () => Promise<T>): Promise<T> {
  // Kept as nodes: a button with structure (a device row) comes back whole.
  const before = Array.from(button.childNodes);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  const slow = window.setTimeout(() => {
    button.textContent = t('form.slow', { label });
  }, SLOW_MS);
  try {
    return await action();
  } finally {
    window.clearTimeout(slow);
    button.removeAttribute('aria-busy');
    button.replaceChildren(...before);
    button.disabled = false;
  }
}

export { h, withFlags };
