// The screens: login, sign-up, the new-terminal code, home. Each builds its DOM,
// calls the backend, and tells the app where to go next. Flows live in Rust.
import { backend, type Area, type Contact, type Home, type Status } from './backend';
import type { CloudClock } from './clock';
import { codeEntry } from './code-entry';
import { busy, errorLine, field, h, onSubmit, showError } from './dom';
import { describe, formatDuration, type AppError } from './errors';

export interface Nav {
  status: Status;
  clock: CloudClock;
  login(message?: string): void;
  signUp(): void;
  verify(contact: Contact | null): void;
  home(home: Home): void;
  /** Stop timers of the screen being left. */
  onLeave(dispose: () => void): void;
}

function card(title: string, ...children: (Node | null)[]): HTMLElement {
  return h('section', { class: 'card' }, h('h1', {}, title), ...children);
}

export function loginScreen(nav: Nav, notice?: string): HTMLElement {
  const account = h('input', {
    testid: 'login-account',
    autocomplete: 'username',
    placeholder: 'Email or phone number',
    value: nav.status.lastAccount ?? '',
  });
  const password = h('input', {
    testid: 'login-password',
    type: 'password',
    autocomplete: 'current-password',
    placeholder: 'Password',
  });
  const submit = h('button', { class: 'primary', type: 'submit', testid: 'login-submit' }, 'Log in');
  const error = errorLine();
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    notice ? h('p', { class: 'notice', testid: 'login-notice', role: 'status' }, notice) : null,
    field('Email or phone number', account),
    field('Password', password),
    error,
    submit,
  );
  onSubmit(form, submit, 'Logging in…', error, async () => {
    const outcome = await backend.login(account.value, password.value);
    if (outcome.outcome === 'loggedIn') nav.home(outcome.home);
    else nav.verify(outcome.contact);
  });
  queueMicrotask(() => (account.value ? password : account).focus());
  return card(
    'Log in',
    form,
    h(
      'p',
      { class: 'alt' },
      'New to Hik-Connect? ',
      h('button', { type: 'button', class: 'link', testid: 'nav-signup', onclick: () => nav.signUp() }, 'Sign up'),
    ),
  );
}

export function signUpScreen(nav: Nav): HTMLElement {
  const region = h('select', { testid: 'signup-region', required: true });
  const email = h('input', { testid: 'signup-email', type: 'email', autocomplete: 'email', placeholder: 'name@example.com' });
  const sendBtn = h('button', { type: 'button', testid: 'signup-send-code' }, 'Send code');
  const sentNote = h('p', { class: 'muted', testid: 'signup-code-sent', role: 'status' });
  const code = h('input', { testid: 'signup-code', inputmode: 'numeric', autocomplete: 'one-time-code', placeholder: '6-digit code', class: 'code-input' });
  const password = h('input', { testid: 'signup-password', type: 'password', autocomplete: 'new-password' });
  const submit = h('button', { class: 'primary', type: 'submit', testid: 'signup-submit' }, 'Create account');
  const error = errorLine();
  let resendAt = 0;

  const tick = () => {
    const left = nav.clock.left(resendAt);
    if (sendBtn.getAttribute('aria-busy') === 'true') return;
    sendBtn.disabled = left > 0;
    sendBtn.textContent = left > 0 ? `Resend (${formatDuration(left)})` : resendAt ? 'Resend code' : 'Send code';
  };
  const ticker = window.setInterval(tick, 1000);
  nav.onLeave(() => window.clearInterval(ticker));

  void backend.listAreas().then(
    (areas: Area[]) => {
      region.replaceChildren(
        ...areas.map((a) => h('option', { value: String(a.id), selected: a.id === nav.status.lastArea }, `${a.name} (+${a.telephoneCode})`)),
      );
    },
    (e) => showError(error, describe(e as AppError)),
  );

  sendBtn.addEventListener('click', async () => {
    showError(error, null);
    try {
      const sent = await busy(sendBtn, 'Sending…', () => backend.requestSignUpCode(Number(region.value), email.value));
      nav.clock.sync(sent.cloudNow);
      resendAt = sent.cloudNow + (sent.retryAfter ?? 60);
      sentNote.textContent = `We sent a code to ${sent.contact.fuzzyContact}. It is valid for ${formatDuration(sent.expiresIn ?? 600)}.`;
      code.focus();
    } catch (e) {
      const err = e as AppError;
      if (err.code === '1041' && err.retryAfter != null) resendAt = nav.clock.now() + err.retryAfter;
      showError(error, describe(err));
    } finally {
      tick();
    }
  });

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    field('Region', region, 'Your account is kept in this region. It cannot be changed after sign-up.'),
    field('Email address', email),
    sendBtn,
    sentNote,
    field('Verification code', code),
    field('Password', password, '8 to 64 characters, with at least three of: lower case, upper case, digits, symbols.'),
    error,
    submit,
  );
  onSubmit(form, submit, 'Creating account…', error, async () => {
    nav.home(await backend.signUp(Number(region.value), email.value, code.value, password.value));
  });
  const inbox = nav.status.qaInboxUrl
    ? h('p', { class: 'muted' }, 'Simulator: read your code in the QA inbox at ', h('code', {}, nav.status.qaInboxUrl), '.')
    : null;
  return card(
    'Sign up',
    form,
    inbox,
    h(
      'p',
      { class: 'alt' },
      'Already have an account? ',
      h('button', { type: 'button', class: 'link', testid: 'nav-login', onclick: () => nav.login() }, 'Log in'),
    ),
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
  });
  nav.onLeave(entry.dispose);
  const cancel = h(
    'button',
    {
      type: 'button',
      class: 'link',
      testid: 'verify-cancel',
      onclick: async () => {
        await backend.cancelLogin();
        nav.login();
      },
    },
    'Back to login',
  );
  return card(
    'Verify this computer',
    h('p', {}, 'This computer is new to your account. To keep your account safe, confirm that it is you.'),
    entry.element,
    h('p', { class: 'alt' }, cancel),
  );
}

export function homeScreen(nav: Nav, home: Home): HTMLElement {
  const logout = h('button', { type: 'button', testid: 'nav-logout' }, 'Log out');
  logout.addEventListener('click', async () => {
    await busy(logout, 'Logging out…', backend.logout).catch(() => undefined);
    nav.login('You have logged out.');
  });
  const who = home.email ?? home.phone ?? home.username;
  return card(
    'Welcome',
    h('p', {}, 'Signed in as ', h('strong', { testid: 'home-user' }, who)),
    h(
      'p',
      { class: 'muted', testid: 'home-terminal' },
      nav.status.terminalRemembered
        ? 'This computer is trusted: you will not be asked for a code when you log in here.'
        : 'This computer cannot be remembered, so a code will be asked at each login.',
    ),
    logout,
  );
}
