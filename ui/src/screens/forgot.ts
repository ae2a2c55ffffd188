// A forgotten password: the account, a RETRIEVE_PASSWORD code sent to it, then
// the new password with its rules. It also lifts a lock after wrong passwords.
import { backend, type Sent } from '../backend';
import { errorLine, field, h, onSubmit } from '../dom';
import { t } from '../i18n';
import { passwordRules } from '../password-rules';
import { card, navLink, screenCodeEntry, type Nav } from './nav';

export function forgotScreen(nav: Nav, prefill?: string): HTMLElement {
  const account = h('input', {
    testid: 'forgot-account',
    autocomplete: 'username',
    placeholder: t('login.accountPlaceholder'),
    value: prefill || nav.status.lastAccount || '',
  });
  const sendBtn = h('button', { class: 'primary', type: 'submit', testid: 'forgot-send-code' }, t('code.send'));
  const error = errorLine();
  const details = h(
    'form',
    { class: 'stack', novalidate: true },
    h('p', {}, t('forgot.intro')),
    field(t('login.account'), account),
    error,
    sendBtn,
  );
  const step2 = h('div', { hidden: true });

  const toCode = (sent: Sent) => {
    const who = account.value;
    const password = h('input', { testid: 'forgot-password', type: 'password', autocomplete: 'new-password' });
    const rules = passwordRules(password, 'forgot-password-rules');
    const entry = screenCodeEntry(nav, {
      prefix: 'forgot',
      contact: sent.contact,
      initial: sent,
      send: () => backend.requestPasswordResetCode(who),
      submit: async (code) => {
        await backend.resetPassword(who, code, password.value);
        nav.login('notice.passwordReset');
      },
      submitLabel: t('forgot.submit'),
      extra: [field(t('password.new'), password), rules],
    });
    nav.onLeave(entry.dispose);
    step2.replaceChildren(entry.element);
    details.hidden = true;
    step2.hidden = false;
  };
  onSubmit(details, sendBtn, t('code.sending'), error, async () => {
    toCode(await backend.requestPasswordResetCode(account.value));
  });

  queueMicrotask(() => account.focus());
  return card(
    t('forgot.title'),
    details,
    step2,
    h('p', { class: 'alt' }, navLink('forgot-cancel', t('nav.backToLogin'), () => nav.login())),
  );
}
