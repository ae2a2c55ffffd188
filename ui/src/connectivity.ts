// The banner that says the cloud cannot be reached, with a button that tries
// the failed action again. Inputs stay as they were typed; the retry runs the
// same action through the same busy button, so nothing is submitted twice.
// And what every screen does when the cloud has ended the session.
import { h, withFlags } from './element';
import { describe, type AppError } from './errors';
import { t } from './i18n';

let banner: HTMLElement | null = null;

function host(): HTMLElement | null {
  return document.getElementById('banners');
}

/** Show (or update) the banner for `err`; `retry` runs the action that failed. */
export function cloudDown(err: AppError, retry: (() => Promise<unknown>) | null): void {
  cloudUp();
  const retryBtn = retry
    ? h('button', { type: 'button', testid: 'cloud-retry' }, t('banner.retry'))
    : null;
  if (retryBtn && retry) {
    retryBtn.addEventListener('click', async () => {
      retryBtn.disabled = true;
      retryBtn.textContent = t('banner.trying');
      try {
        await retry();
      } finally {
        if (retryBtn.isConnected) {
          retryBtn.disabled = false;
          retryBtn.textContent = t('banner.retry');
        }
      }
    });
  }
  banner = h(
    'div',
    { class: 'banner error-banner', role: 'alert', testid: 'cloud-banner' },
    // (The sentence for a server error says so already.)
    h('span', {}, ...withFlags(err.code === 'cloud_error' ? describe(err) : t('banner.kept', { problem: describe(err) }))),
    retryBtn,
  );
  host()?.prepend(banner);
}

let onEnded: () => void = () => undefined;

/** What to do when the cloud has ended the session (main: back to login). */
export function onSessionEnded(handler: () => void): void {
  onEnded = handler;
}

/** If `e` says the session has ended, do what was registered; true when so. */
export function sessionEnded(e: { code: string }): boolean {
  if (e.code !== 'session_ended') return false;
  onEnded();
  return true;
}

/** The cloud answered: take the banner down. */
export function cloudUp(): void {
  banner?.remove();
  banner = null;
}
