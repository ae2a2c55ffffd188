// The two ways a login can pause: this terminal is new (6002, a TERMINAL_BIND
// code), or the account already has all the terminals it may (1069: remove
// some with a TERMINAL_DELETE code, then go on).
import { backend, type Channel, type Contact, type Terminal } from '../backend';
import { dateTime } from '../clock';
import { h } from '../dom';
import type { AppError } from '../errors';
import { card, navLink, screenCodeEntry, type Nav } from './nav';

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

/** Where a code can go, when the account has a choice, and the last choice. */
export interface CodeChoice {
  contacts: Contact[];
  channel: Channel | null;
}

export function verifyScreen(nav: Nav, contact: Contact | null, choice?: CodeChoice): HTMLElement {
  const entry = screenCodeEntry(nav, {
    prefix: 'verify',
    contact,
    choices: choice?.contacts,
    chosen: choice?.channel,
    send: (channel) => backend.sendTerminalCode(channel),
    submit: async (code) => nav.home(await backend.submitTerminalCode(code)),
    submitLabel: 'Verify and log in',
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


export function terminalsScreen(nav: Nav, limits: number, terminals: Terminal[], choice?: CodeChoice): HTMLElement {
  const boxes = terminals.map((t) =>
    h('input', { type: 'checkbox', testid: 'terminal-check', value: String(t.terminalId), id: `t-${t.terminalId}` }),
  );
  const rows = terminals.map((t, i) =>
    h(
      'li',
      { class: 'terminal', testid: 'terminal-row', 'data-terminal-id': String(t.terminalId) },
      boxes[i] ?? null,
      h(
        'label',
        { for: `t-${t.terminalId}` },
        h('strong', { testid: 'terminal-name' }, t.name),
        h('small', { class: 'muted', testid: 'terminal-last-used' }, `Last used ${dateTime(t.lastModifytime)} · added ${dateTime(t.addTime)}`),
      ),
    ),
  );
  const chosen = () => boxes.filter((b) => b.checked).map((b) => Number(b.value));
  const entry = screenCodeEntry(nav, {
    prefix: 'remove',
    contact: null,
    choices: choice?.contacts,
    chosen: choice?.channel,
    send: (channel) => backend.sendTerminalRemovalCode(channel),
    submit: async (code) => {
      if (chosen().length === 0) {
        throw { code: 'invalid_input', message: 'Choose at least one terminal to remove.' } satisfies AppError;
      }
      nav.afterLogin(await backend.removeTerminals(chosen(), code));
    },
    submitLabel: 'Remove and continue',
    autofocus: false,
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
