// The banner that says the cloud cannot be reached, with a button that tries
// the failed action again. Inputs stay as they were typed; the retry runs the
// same action through the same busy button, so nothing is submitted twice.
import { h } from './dom';

let banner: HTMLElement | null = null;

function host(): HTMLElement | null {
  return document.getElementById('banners');
}

/** Show (or update) the banner; `retry` runs the action that failed. */
export function cloudDown(message: string, retry: (() => Promise<unknown>) | null): void {
  cloudUp();
  const retryBtn = retry
    ? h('button', { type: 'button', testid: 'cloud-retry' }, 'Try again')
    : null;
  if (retryBtn && retry) {
    retryBtn.addEventListener('click', async () => {
      retryBtn.disabled = true;
      retryBtn.textContent = 'Trying…';
      try {
        await retry();
      } finally {
        if (retryBtn.isConnected) {
          retryBtn.disabled = false;
          retryBtn.textContent = 'Try again';
        }
      }
    });
  }
  banner = h(
    'div',
    { class: 'banner error-banner', role: 'alert', testid: 'cloud-banner' },
    h('span', {}, message, ' What you typed is kept.'),
    retryBtn,
  );
  host()?.prepend(banner);
}

/** The cloud answered: take the banner down. */
export function cloudUp(): void {
  banner?.remove();
  banner = null;
}
