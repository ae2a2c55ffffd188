// Log in: account and password, then whatever the cloud asks for. A captcha
// (1015 needCaptcha) shows the cloud's picture with a refresh and an input; a
// lock (1015 retryAfter) shows a live countdown and the way out, a reset.
import { backend } from '../backend';
import { announce, errorLine, field, h, onSubmit, showError } from '../dom';
import { describe, formatDuration, isLock, type AppError } from '../errors';
import { inWords } from '../code-entry';
import { card, navLink, type Nav } from './nav';

export function loginScreen(nav: Nav, notice?: string): HTMLElement {
  const account = h('input', {
    testid: 'login-account',
    autocomplete: 'username',
    placeholder: 'name@example.com or phone number',
    value: nav.status.lastAccount ?? '',
  });
  const password = h('input', {
    testid: 'login-password',
    type: 'password',
    autocomplete: 'current-password',
  });
  // Show the password while typing it (a button beside the field).
  const reveal = h('button', { type: 'button', class: 'reveal', testid: 'login-password-show', 'aria-pressed': 'false', 'aria-label': 'Show password' }, 'Show');
  reveal.addEventListener('click', () => {
    const shown = password.type === 'password';
    password.type = shown ? 'text' : 'password';
    reveal.textContent = shown ? 'Hide' : 'Show';
    reveal.setAttribute('aria-pressed', String(shown));
    reveal.setAttribute('aria-label', shown ? 'Hide password' : 'Show password');
    password.focus();
  });
  const passwordField = field('Password', password);
  // The field, then the button beside it, in a row where the field was.
  const revealRow = h('div', { class: 'reveal-row' });
  password.replaceWith(revealRow);
  revealRow.append(password, reveal);
  const submit = h('button', { class: 'primary', type: 'submit', testid: 'login-submit' }, 'Log in');
  const error = errorLine();

  // The captcha, once the cloud asks for one.
  const picture = h('img', { testid: 'login-captcha-image', alt: 'Characters to type', width: 160, height: 60 });
  const refresh = h('button', { type: 'button', testid: 'login-captcha-refresh', title: 'Show another picture' }, 'New picture');
  const captcha = h('input', { testid: 'login-captcha', autocomplete: 'off', spellcheck: false, maxlength: 12 });
  const beforeLock = h('p', { class: 'warning', testid: 'login-captcha-warning', hidden: true });
  const captchaBox = h(
    'div',
    { class: 'captcha', testid: 'login-captcha-box', hidden: true },
    h('p', { class: 'muted' }, 'After several wrong passwords, we need to know you are a person.'),
    beforeLock,
    h('div', { class: 'captcha-row' }, picture, refresh),
    field('Characters in the picture', captcha, 'Not case-sensitive.'),
  );
  let captchaNeeded = false;
  const loadPicture = async () => {
    refresh.disabled = true;
    try {
      picture.src = await backend.captcha(account.value);
      captcha.value = '';
    } catch (e) {
      showError(error, describe(e as AppError));
    } finally {
      refresh.disabled = false;
    }
  };
  refresh.addEventListener('click', () => void loadPicture().then(() => captcha.focus()));

  // The lock, with its countdown on the cloud's clock.
  const countdown = h('strong', { testid: 'login-lock-countdown' });
  const lockText = h('span', {}, 'Too many wrong passwords: this account is locked. You can try again in ', countdown, '.');
  const lockBox = h(
    'div',
    { class: 'lock', testid: 'login-lock', role: 'alert', hidden: true },
    h('p', {}, lockText),
    h('p', {}, 'Locked out? Resetting your password unlocks the account at once. ', navLink('login-lock-reset', 'Reset password', () => nav.forgot(account.value))),
  );
  let lockedUntil = 0;
  const tick = () => {
    if (!lockedUntil) return;
    const left = nav.clock.left(lockedUntil);
    countdown.textContent = formatDuration(left);
    submit.disabled = left > 0 || submit.getAttribute('aria-busy') === 'true';
    if (left === 0) {
      lockedUntil = 0;
      lockText.replaceChildren('The lock has ended: you can try again now.');
      announce('The lock has ended: you can try again now.');
    }
  };
  const ticker = window.setInterval(tick, 1000);
  const syncer = window.setInterval(() => {
    if (lockedUntil) void backend.syncClock().then((now) => (nav.clock.sync(now), tick()), () => undefined);
  }, 3000);
  nav.onLeave(() => (window.clearInterval(ticker), window.clearInterval(syncer)));

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    notice ? h('p', { class: 'notice', testid: 'login-notice', role: 'status' }, notice) : null,
    field('Email or phone number', account),
    passwordField,
    captchaBox,
    lockBox,
    error,
    submit,
  );
  onSubmit(
    form,
    submit,
    'Logging in…',
    error,
    async () => {
      const outcome = await backend.login(account.value, password.value, captchaNeeded ? captcha.value : null);
      nav.afterLogin(outcome);
    },
    (err) => {
      if (isLock(err) && err.retryAfter != null) {
        lockedUntil = nav.clock.now() + err.retryAfter;
        captchaBox.hidden = true;
        lockBox.hidden = false;
        tick();
        announce(`This account is locked for ${formatDuration(err.retryAfter)} after too many wrong passwords. Resetting the password unlocks it.`);
        // The lock box says it all, with its countdown.
        return 'handled';
      }
      if (err.needCaptcha) {
        captchaNeeded = true;
        captchaBox.hidden = false;
        const left = err.remainingAttempts;
        beforeLock.hidden = left == null;
        if (left != null) {
          const lock = err.lockSeconds != null ? ` for ${inWords(err.lockSeconds)}` : '';
          beforeLock.textContent =
            left <= 1
              ? `One more wrong password will lock this account${lock}.`
              : `${left} more wrong passwords will lock this account${lock}.`;
        }
        // Every attempt uses the picture up: show a fresh one.
        void loadPicture().then(() => (err.code === '1015' ? captcha : password).focus());
      }
      if (err.code === '1014') password.select();
      return undefined;
    },
  );
  queueMicrotask(() => (account.value ? password : account).focus());
  return card(
    'Log in',
    form,
    h('p', { class: 'alt' }, navLink('nav-forgot', 'Forgot password?', () => nav.forgot(account.value))),
    h('p', { class: 'alt' }, 'New to Hik-Connect? ', navLink('nav-signup', 'Sign up', () => nav.signUp())),
  );
}
