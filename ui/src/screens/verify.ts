// The two ways a login can pause: this terminal is new (6002, a TERMINAL_BIND
// code), or the account already has all the terminals it may (1069: remove
// some with a TERMINAL_DELETE code, then go on).
import { backend, type Contact, type TerminalInfo } from '../backend';
import { codeEntry } from '../code-entry';
import { h } from '../dom';
import type { AppError } from '../errors';
import { card, navLink, type Nav } from './nav';

function backToLogin(nav: Nav, testid: string): HTMLElement {
  return h(
    'p',
    { class: 'alt' },
    navLink(testid, 'Back to login', async () => {
      await backend.cancelLogin();
      nav.login();
    }),
  );
}

export function verifyScreen(nav: Nav, contact: Contact | null): HTMLElement {
  const entry = codeEntry({
    prefix: 'verify',
    contact,
    clock: nav.clock,
    send: backend.sendTerminalCode,
    submit: async (code) => nav.home(await backend.submitTerminalCode(code)),
    submitLabel: 'Verify and log in',
    qaInboxUrl: nav.status.qaInboxUrl,
    syncClock: async () => nav.clock.sync(await backend.syncClock()),
    onForgotPassword: () => void backend.cancelLogin().then(() => nav.forgot()),
  });
  nav.onLeave(entry.dispose);
  return card(
    'Verify this computer',
    h('p', {}, 'This computer is new to your account. To keep your account safe, confirm that it is you.'),
    entry.element,
    backToLogin(nav, 'verify-cancel'),
  );
}

/** "3 Dec 2026, 14:05" in the person's locale, from Unix seconds. */
function when(unix: number): string {
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function terminalsScreen(nav: Nav, limits: number, terminals: TerminalInfo[]): HTMLElement {
  const boxes = terminals.map((t) =>
    h('input', { type: 'checkbox', testid: 'terminal-check', value: t.sign, id: `t-${t.terminalId}` }),
  );
  const rows = terminals.map((t, i) =>
    h(
      'li',
      { class: 'terminal', testid: 'terminal-row', 'data-sign': t.sign },
      boxes[i] ?? null,
      h(
        'label',
        { for: `t-${t.terminalId}` },
        h('strong', { testid: 'terminal-name' }, t.name),
        h('small', { class: 'muted', testid: 'terminal-last-used' }, `Last used ${when(t.lastModifytime)} · added ${when(t.addTime)}`),
      ),
    ),
  );
  const chosen = () => boxes.filter((b) => b.checked).map((b) => b.value);
  const entry = codeEntry({
    prefix: 'remove',
    contact: null,
    clock: nav.clock,
    send: backend.sendTerminalRemovalCode,
    submit: async (code) => {
      if (chosen().length === 0) {
        throw { code: 'invalid_input', message: 'Choose at least one terminal to remove.' } satisfies AppError;
      }
      nav.afterLogin(await backend.removeTerminals(chosen(), code));
    },
    submitLabel: 'Remove and continue',
    autofocus: false,
    qaInboxUrl: nav.status.qaInboxUrl,
    syncClock: async () => nav.clock.sync(await backend.syncClock()),
  });
  nav.onLeave(entry.dispose);
  queueMicrotask(() => boxes[0]?.focus());
  return card(
    'Make room for this computer',
    h(
      'p',
      {},
      `Your account already has ${limits} trusted terminals, the most it may have. Remove at least one you no longer use to log in here. `,
      'A code sent to your account confirms it is you.',
    ),
    h('ul', { class: 'terminals', testid: 'terminal-list', 'aria-label': 'Trusted terminals' }, ...rows),
    entry.element,
    backToLogin(nav, 'terminals-cancel'),
  );
}
