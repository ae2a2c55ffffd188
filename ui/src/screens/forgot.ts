// A forgotten password: the account, a RETRIEVE_PASSWORD code sent to it, then
// the new password with its rules. It also lifts a lock after wrong passwords.
import { backend, type Sent } from '../backend';
import { errorLine, field, h, onSubmit } from '../dom';
import { passwordRules } from '../password-rules';
import { card, navLink, screenCodeEntry, type Nav } from './nav';

export function forgotScreen(nav: Nav, prefill?: string): HTMLElement {
  const account = h('input', {
    testid: 'forgot-account',
    autocomplete: 'username',
    placeholder: 'name@example.com or phone number',
    value: prefill || nav.status.lastAccount || '',
  });
  const sendBtn = h('button', { class: 'primary', type: 'submit', testid: 'forgot-send-code' }, 'Send code');
  const error = errorLine();
  const details = h(
    'form',
    { class: 'stack', novalidate: true },
    h('p', {}, 'Enter the email address or phone number of your account. We will send it a code to set a new password.'),
    field('Email or phone number', account),
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
        nav.login('Your password has been reset, and any lock is lifted. Log in with your new password.');
      },
      submitLabel: 'Reset password',
      extra: [field('New password', password), rules],
    });
    nav.onLeave(entry.dispose);
    step2.replaceChildren(entry.element);
    details.hidden = true;
    step2.hidden = false;
  };
  onSubmit(details, sendBtn, 'Sending…', error, async () => {
    toCode(await backend.requestPasswordResetCode(account.value));
  });

  queueMicrotask(() => account.focus());
  return card(
    'Reset your password',
    details,
    step2,
    h('p', { class: 'alt' }, navLink('forgot-cancel', 'Back to login', () => nav.login())),
  );
}
