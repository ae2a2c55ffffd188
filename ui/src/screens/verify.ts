// The two ways a login can pause: this terminal is new (6002, a TERMINAL_BIND
// code), or the account already has all the terminals it may (1069: remove
// some with a TERMINAL_DELETE code, then go on).
import { backend, type Contact, type Terminal } from '../backend';
import { h } from '../dom';
import type { AppError } from '../errors';
import { t } from '../i18n';
import { dateTime } from '../i18n/format';
import { card, navLink, screenCodeEntry, type CodeChoice, type Nav } from './nav';

function backToLogin(nav: Nav, testid: string): HTMLElement {
  return h(
    'p',
    { class: 'alt' },
    navLink(testid, t('nav.backToLogin'), async () => {
      await backend.cancelLogin();
      nav.login();
    }),
  );
}

export function verifyScreen(nav: Nav, contact: Contact | null, choice?: CodeChoice): HTMLElement {
  const entry = screenCodeEntry(nav, {
    prefix: 'verify',
    contact,
    choices: choice?.contacts,
    chosen: choice?.channel,
    send: (channel) => backend.sendTerminalCode(channel),
    submit: async (code) => nav.home(await backend.submitTerminalCode(code)),
    submitLabel: t('verify.submit'),
    onForgotPassword: () => void backend.cancelLogin().then(() => nav.forgot()),
  });
  nav.onLeave(entry.dispose);
  return card(
    t('verify.title'),
    h('p', {}, t('verify.intro')),
    entry.element,
    backToLogin(nav, 'verify-cancel'),
  );
}


export function terminalsScreen(nav: Nav, limits: number, terminals: Terminal[], choice?: CodeChoice): HTMLElement {
  const boxes = terminals.map((term) =>
    h('input', { type: 'checkbox', testid: 'terminal-check', value: String(term.terminalId), id: `t-${term.terminalId}` }),
  );
  const rows = terminals.map((term, i) =>
    h(
      'li',
      { class: 'terminal', testid: 'terminal-row', 'data-terminal-id': String(term.terminalId) },
      boxes[i] ?? null,
      h(
        'label',
        { for: `t-${term.terminalId}` },
        h('strong', { testid: 'terminal-name', translate: 'no' }, term.name),
        h('small', { class: 'muted', testid: 'terminal-last-used' }, t('terminals.times', { used: dateTime(term.lastModifytime), added: dateTime(term.addTime) })),
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
        throw { code: 'invalid_input', message: 'no terminal chosen', field: 'terminals', rule: 'noneChosen' } satisfies AppError;
      }
      nav.afterLogin(await backend.removeTerminals(chosen(), code));
    },
    submitLabel: t('terminals.submit'),
    autofocus: false,
  });
  nav.onLeave(entry.dispose);
  queueMicrotask(() => boxes[0]?.focus());
  return card(
    t('terminals.title'),
    h('p', {}, t('terminals.intro', { count: limits })),
    h('ul', { class: 'terminals', testid: 'terminal-list', 'aria-label': t('terminals.list') }, ...rows),
    entry.element,
    backToLogin(nav, 'terminals-cancel'),
  );
}
