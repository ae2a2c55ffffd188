// Log in: account and password, then whatever the cloud asks for. A captcha
// (1015 needCaptcha) shows the cloud's picture with a refresh and an input, or
// sends its characters by email or SMS for those who cannot see it; a
// lock (1015 retryAfter) shows a live countdown and the way out, a reset.
import { backend } from '../backend';
import { act, announce, errorLine, field, h, onSubmit, showError } from '../dom';
import { describe, isLock, type AppError } from '../errors';
import { ltr, t, tn, type MessageKey } from '../i18n';
import { clock, duration } from '../i18n/format';
import { card, navLink, type Nav } from './nav';

export function loginScreen(nav: Nav, notice?: MessageKey): HTMLElement {
  const account = h('input', {
    testid: 'login-account',
    autocomplete: 'username',
    placeholder: t('login.accountPlaceholder'),
    value: nav.status.lastAccount ?? '',
  });
  const password = h('input', {
    testid: 'login-password',
    type: 'password',
    autocomplete: 'current-password',
  });
  // Show the password while typing it (a button beside the field).
  const reveal = h('button', { type: 'button', class: 'reveal', testid: 'login-password-show', 'aria-pressed': 'false', 'aria-label': t('login.showPassword') }, t('login.show'));
  reveal.addEventListener('click', () => {
    const shown = password.type === 'password';
    password.type = shown ? 'text' : 'password';
    reveal.textContent = shown ? t('login.hide') : t('login.show');
    reveal.setAttribute('aria-pressed', String(shown));
    reveal.setAttribute('aria-label', shown ? t('login.hidePassword') : t('login.showPassword'));
    password.focus();
  });
  const passwordField = field(t('login.password'), password);
  // The field, then the button beside it, in a row where the field was.
  const revealRow = h('div', { class: 'reveal-row' });
  password.replaceWith(revealRow);
  revealRow.append(password, reveal);
  const submit = h('button', { class: 'primary', type: 'submit', testid: 'login-submit' }, t('login.submit'));
  const error = errorLine();

  // The captcha, once the cloud asks for one.
  const picture = h('img', { testid: 'login-captcha-image', alt: t('captcha.alt'), width: 160, height: 60 });
  const refresh = h('button', { type: 'button', testid: 'login-captcha-refresh', title: t('captcha.anotherTitle') }, t('captcha.another'));
  const captcha = h('input', { testid: 'login-captcha', autocomplete: 'off', spellcheck: false, maxlength: 12 });
  const beforeLock = h('p', { class: 'warning', testid: 'login-captcha-warning', hidden: true });
  const pictureRow = h('div', { class: 'captcha-row' }, picture, refresh);
  const captchaField = field(t('captcha.label'), captcha, t('captcha.hint'));
  const captchaLabel = captchaField.querySelector('label') ?? h('label');
  // The same challenge without eyes (WCAG 1.1.1): its characters by email
  // or SMS to the account's own address, typed in the same field.
  const byMessage = h('button', { type: 'button', class: 'link', testid: 'login-captcha-send' }, t('captcha.byMessage'));
  const byMessageSent = h('p', { class: 'notice', testid: 'login-captcha-sent', hidden: true });
  const captchaBox = h(
    'div',
    { class: 'captcha', testid: 'login-captcha-box', hidden: true },
    h('p', { class: 'muted' }, t('captcha.why')),
    beforeLock,
    pictureRow,
    byMessageSent,
    captchaField,
    h('p', {}, byMessage),
  );
  /** The picture, or the characters sent by message, as what the field asks for. */
  const captchaBy = (sentTo: string | null) => {
    pictureRow.hidden = sentTo != null;
    byMessageSent.hidden = sentTo == null;
    byMessageSent.textContent = sentTo == null ? '' : t('captcha.sent', { contact: ltr(sentTo) });
    captchaLabel.textContent = t(sentTo == null ? 'captcha.label' : 'captcha.labelSent');
    byMessage.textContent = t(sentTo == null ? 'captcha.byMessage' : 'captcha.byMessageAgain');
  };
  byMessage.addEventListener('click', async () => {
    let to: string | null = null;
    await act(byMessage, t('code.sending'), error, async () => {
      const sent = await backend.sendCaptcha(account.value);
      nav.clock.sync(sent.cloudNow);
      to = sent.contact.fuzzyContact;
    });
    if (to == null) return;
    // After the busy button has its words back, so that it says "again".
    captchaBy(to);
    captcha.value = '';
    announce(t('captcha.sent', { contact: ltr(to) }));
    captcha.focus();
  });
  let captchaNeeded = false;
  const loadPicture = async () => {
    refresh.disabled = true;
    try {
      picture.src = await backend.captcha(account.value);
      captcha.value = '';
      captchaBy(null);
    } catch (e) {
      showError(error, describe(e as AppError));
    } finally {
      refresh.disabled = false;
    }
  };
  refresh.addEventListener('click', () => void loadPicture().then(() => captcha.focus()));

  // The lock, with its countdown on the cloud's clock.
  const countdown = h('strong', { testid: 'login-lock-countdown' });
  const lockText = h('span', {}, ...tn('lock.text', { countdown }));
  const lockBox = h(
    'div',
    { class: 'lock', testid: 'login-lock', hidden: true },
    h('p', {}, lockText),
    h('p', {}, t('lock.way'), ' ', navLink('login-lock-reset', t('lock.reset'), () => nav.forgot(account.value))),
  );
  let lockedUntil = 0;
  const tick = () => {
    if (!lockedUntil) return;
    const left = nav.clock.left(lockedUntil);
    countdown.textContent = clock(left);
    submit.disabled = left > 0 || submit.getAttribute('aria-busy') === 'true';
    if (left === 0) {
      lockedUntil = 0;
      lockText.replaceChildren(t('lock.ended'));
      announce(t('lock.ended'));
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
    notice ? h('p', { class: 'notice', testid: 'login-notice', role: 'status' }, t(notice)) : null,
    field(t('login.account'), account),
    passwordField,
    captchaBox,
    lockBox,
    error,
    submit,
  );
  onSubmit(
    form,
    submit,
    t('login.busy'),
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
        announce(t('lock.announce', { duration: duration(err.retryAfter) }));
        // The lock box says it all, with its countdown.
        return 'handled';
      }
      if (err.needCaptcha) {
        captchaNeeded = true;
        captchaBox.hidden = false;
        const left = err.remainingAttempts;
        beforeLock.hidden = left == null;
        if (left != null) {
          beforeLock.textContent =
            err.lockSeconds != null
              ? t('captcha.beforeLockFor', { count: Math.max(1, left), duration: duration(err.lockSeconds) })
              : t('captcha.beforeLock', { count: Math.max(1, left) });
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
    t('login.title'),
    form,
    h('p', { class: 'alt' }, navLink('nav-forgot', t('login.forgot'), () => nav.forgot(account.value))),
    h('p', { class: 'alt' }, t('login.new'), ' ', navLink('nav-signup', t('login.signUp'), () => nav.signUp())),
  );
}
