// The code entry used wherever a code is asked (sign-up, new terminal, removing
// terminals, forgotten password): where it went, one forgiving field, how long
// it stays valid, resend with a countdown on the cloud's clock, tries left, a
// plain "request a new code" once it is dead, and help for a code that does not
// arrive (the advice of the Hik-Connect verification guide).
import type { Channel, Contact, Sent } from './backend';
import type { CloudClock } from './clock';
import { looksComplete } from './code';
import { act, announce, errorLine, field, h, onSubmit } from './dom';
import { codeDeadWhy, type AppError } from './errors';
import { ltr, t, tn } from './i18n';
import { clock, duration } from './i18n/format';

export interface CodeEntryOptions {
  /** testid prefix: `verify` gives verify-code, verify-submit, verify-resend... */
  prefix: string;
  contact: Contact | null;
  /** Where the code can go, when there is a choice (the account's email and
   * phone, masked), and the one chosen last time. */
  choices?: Contact[];
  chosen?: Channel | null;
  clock: CloudClock;
  /** Send a code, to `channel` when the person chose one. */
  send: (channel: Channel | null) => Promise<Sent>;
  submit: (code: string) => Promise<void>;
  submitLabel: string;
  qaInboxUrl: string | null;
  /** Resync with the cloud's clock while a countdown runs. */
  syncClock: () => Promise<void>;
  /** A code already sent (the screen before sent it): start counting from it. */
  initial?: Sent;
  /** The address as the person just typed it, shown instead of the masked
   * one (sign-up: a typo must be visible). */
  address?: string;
  /** More fields, shown under the code (a new password, say). */
  extra?: Node[];
  /** The locked-out advice: where "reset your password" leads, when it applies. */
  onForgotPassword?: () => void;
  /** Put the keyboard focus on *Send code* (or the field) at once; default yes. */
  autofocus?: boolean;
}

/** "We will send / We sent a verification code to <contact> by email." */
function whereTo(sent: boolean, c: Contact | null, contact: Node): (string | Node)[] {
  const how = c == null ? 'other' : c.type;
  return tn(sent ? 'code.sentTo' : 'code.willSendTo', { how, contact });
}

export function codeEntry(o: CodeEntryOptions): { element: HTMLElement; dispose: () => void } {
  let resendAt = 0;
  let expiresAt = 0;
  let validFor = 600;
  let sentOnce = false;
  /** The cloud said 1012: the code on screen can no longer work (and why). */
  let codeDead = false;
  let deadWhy = '';
  /** The person says a code came already (sent before this screen). */
  let haveCode = false;

  const choices = o.choices && o.choices.length > 1 ? o.choices : [];
  let channel: Channel | null = choices.length ? (o.chosen ?? (choices[0]?.type === 'phone' ? 'phone' : 'email')) : null;
  const chosenContact = () => choices.find((c) => c.type === channel) ?? o.contact;
  const contactText = h('strong', { testid: `${o.prefix}-contact`, dir: 'ltr' }, chosenContact()?.fuzzyContact ?? t('code.yourContact'));
  if (!chosenContact()) contactText.removeAttribute('dir');
  const intro = h('p', { testid: `${o.prefix}-code-sent` }, ...whereTo(false, chosenContact(), contactText));
  // Where the code goes (the Hik-Connect guide: "select the preferred method
  // of delivery"); the choice is remembered for next time.
  const picker = choices.length
    ? h(
        'fieldset',
        { class: 'method', testid: `${o.prefix}-channel` },
        h('legend', {}, t('code.sendBy')),
        ...choices.map((c) =>
          h(
            'label',
            {},
            h('input', {
              type: 'radio',
              name: `${o.prefix}-channel`,
              testid: `${o.prefix}-channel-${c.type}`,
              checked: c.type === channel,
              onchange: () => {
                channel = c.type === 'phone' ? 'phone' : 'email';
                if (!sentOnce) {
                  contactText.textContent = c.fuzzyContact;
                  contactText.dir = 'ltr';
                  intro.replaceChildren(...whereTo(false, c, contactText));
                }
              },
            }),
            ' ',
            t(c.type === 'phone' ? 'code.bySms' : 'code.byEmail', { contact: ltr(c.fuzzyContact) }),
          ),
        ),
      )
    : null;
  const sendBtn = h('button', { class: 'primary', type: 'button', testid: `${o.prefix}-send` }, t('code.send'));
  const resendBtn = h('button', { type: 'button', class: 'link', testid: `${o.prefix}-resend`, hidden: true }, t('code.resend'));
  const haveCodeBtn = h('button', { type: 'button', class: 'link', testid: `${o.prefix}-have-code` }, t('code.haveOne'));
  const expiry = h('p', { class: 'muted', testid: `${o.prefix}-expiry`, 'aria-live': 'off' });
  const input = h('input', {
    testid: `${o.prefix}-code`,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    placeholder: t('code.placeholder'),
    maxlength: 24,
    spellcheck: false,
    class: 'code-input',
    dir: 'ltr',
  });
  const submitBtn = h('button', { class: 'primary', type: 'submit', testid: `${o.prefix}-submit` }, o.submitLabel);
  const codeField = field(t('code.label'), input, t('code.hint.digits'));
  const hint = codeField.querySelector<HTMLElement>('.hint') ?? h('small');
  const error = errorLine();
  const validity = h('li', {}, t('code.help.validity', { duration: duration(validFor) }));
  const inbox = o.qaInboxUrl
    ? h('li', {}, ...tn('code.help.inbox', { url: h('code', { testid: 'qa-inbox-hint', dir: 'ltr' }, o.qaInboxUrl) }))
    : null;
  const forgot = o.onForgotPassword
    ? h('button', { type: 'button', class: 'link', testid: `${o.prefix}-help-reset`, onclick: o.onForgotPassword }, t('code.help.reset'))
    : t('code.help.reset');
  const help = h(
    'details',
    { class: 'help', testid: `${o.prefix}-help` },
    h('summary', {}, t('code.help.title')),
    h(
      'ul',
      {},
      h('li', {}, t('code.help.spam')),
      h('li', {}, t('code.help.address')),
      h('li', {}, t('code.help.wait')),
      validity,
      h('li', {}, ...tn('code.help.wrong', { reset: forgot })),
      inbox,
    ),
  );

  // What was last announced, so each change is said once.
  let saidExpired = false;
  let saidResend = true;
  const tick = () => {
    const left = o.clock.left(resendAt);
    const expired = sentOnce && o.clock.left(expiresAt) === 0;
    const needNew = codeDead || expired;
    if (expired && !codeDead && !saidExpired) {
      saidExpired = true;
      announce(t('code.expiredNow'));
    }
    if (left === 0 && !saidResend) {
      saidResend = true;
      announce(t('code.canResend'));
    }
    resendBtn.disabled = left > 0 || resendBtn.getAttribute('aria-busy') === 'true';
    if (resendBtn.getAttribute('aria-busy') !== 'true') {
      const label = needNew ? t('code.requestNew') : t('code.resend');
      resendBtn.textContent = left > 0 ? t('code.wait', { label, clock: clock(left) }) : label;
    }
    resendBtn.classList.toggle('attention', needNew);
    resendBtn.classList.toggle('link', !needNew);
    resendBtn.classList.toggle('primary', needNew && left === 0);
    // Before a code exists there is nothing to type or verify: *Send code*
    // is the one thing to do (unless a code came already).
    const waiting = !sentOnce && !haveCode;
    input.disabled = waiting;
    haveCodeBtn.hidden = !waiting;
    if (submitBtn.getAttribute('aria-busy') !== 'true') submitBtn.disabled = waiting || needNew;
    submitBtn.classList.toggle('primary', !waiting && !needNew);
    const when = left > 0 ? t('code.newIn', { clock: clock(left) }) : t('code.newNow');
    if (codeDead) {
      expiry.textContent = t('code.deadThen', { why: deadWhy, then: when });
    } else if (expired) {
      expiry.textContent = t('code.deadThen', { why: t('code.expired'), then: when });
    } else if (sentOnce) {
      expiry.textContent = t('code.validFor', { clock: clock(o.clock.left(expiresAt)) });
    }
    expiry.classList.toggle('error', needNew);
  };
  const ticker = window.setInterval(tick, 1000);
  // While a countdown runs, ask the cloud for its time every few seconds, so a
  // moved QA clock (or a sleeping laptop) is followed.
  const syncer = window.setInterval(() => {
    if (o.clock.left(resendAt) > 0 || (sentOnce && o.clock.left(expiresAt) > 0)) {
      void o.syncClock().then(tick, () => undefined);
    }
  }, 3000);

  /** The cloud's codes hold letters: the field offers a keyboard for them. */
  let letters = false;
  const applySent = (sent: Sent) => {
    o.clock.sync(sent.cloudNow);
    letters = sent.codeAlphabet === 'letters';
    input.inputMode = letters ? 'text' : 'numeric';
    input.autocapitalize = letters ? 'characters' : 'off';
    hint.textContent = letters ? t('code.hint.letters') : t('code.hint.digits');
    resendAt = sent.cloudNow + (sent.retryAfter ?? 60);
    validFor = sent.expiresIn ?? validFor;
    expiresAt = sent.cloudNow + validFor;
    sentOnce = true;
    codeDead = false;
    saidExpired = false;
    saidResend = false;
    announce(t('code.sentAnnounce', { contact: ltr(sent.contact.fuzzyContact), duration: duration(validFor) }));
    validity.textContent = t('code.help.validity', { duration: duration(validFor) });
    contactText.textContent = o.address ?? sent.contact.fuzzyContact;
    contactText.dir = 'ltr';
    intro.replaceChildren(...whereTo(true, sent.contact, contactText));
    sendBtn.hidden = true;
    resendBtn.hidden = false;
    input.value = '';
    tick(); // enables the field, which can then take the focus
    // Once on screen: a code sent by the screen before is applied while
    // this entry is being built.
    if (input.isConnected) input.focus();
    else queueMicrotask(() => input.focus());
  };
  const onSendError = (e: AppError) => {
    if (e.code === '1041' && e.retryAfter != null) {
      resendAt = o.clock.now() + e.retryAfter;
      resendBtn.hidden = false;
      tick();
    }
  };
  const send = (btn: HTMLButtonElement) =>
    act(btn, t('code.sending'), error, async () => applySent(await o.send(channel)), onSendError).finally(tick);
  sendBtn.addEventListener('click', () => void send(sendBtn));
  // A dead code's *Verify* comes back once another code is typed (a newer
  // one the person already has, say).
  input.addEventListener('input', () => {
    if (codeDead && input.value.trim()) {
      codeDead = false;
      tick();
    }
  });
  haveCodeBtn.addEventListener('click', () => {
    haveCode = true;
    tick();
    input.focus();
  });
  resendBtn.addEventListener('click', () => void send(resendBtn));

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    intro,
    picker,
    sendBtn,
    haveCodeBtn,
    codeField,
    expiry,
    ...(o.extra ?? []),
    error,
    submitBtn,
    resendBtn,
    help,
  );
  onSubmit(
    form,
    submitBtn,
    t('code.checking'),
    error,
    async () => {
      if (!looksComplete(input.value, letters)) {
        input.focus();
        throw { code: 'invalid_input', message: 'incomplete code', field: 'code', rule: 'code', min: 4, max: 8 } satisfies AppError;
      }
      await o.submit(input.value);
    },
    (err) => {
      // A code the cloud replaced by a newer one: the newest still works,
      // so only this entry was wrong (the error line says so).
      if (err.code === '1012' && err.reason !== 'replaced') {
        // One line says it, with when a new code can be had.
        codeDead = true;
        deadWhy = codeDeadWhy(err);
        input.value = '';
        tick();
        return 'handled';
      }
      if (err.code === '1011' || err.code === '1043') input.select();
      tick();
      return undefined;
    },
  );
  if (o.initial) applySent(o.initial);
  else if (o.autofocus !== false) queueMicrotask(() => sendBtn.focus());
  tick();
  return {
    element: form,
    dispose: () => {
      window.clearInterval(ticker);
      window.clearInterval(syncer);
    },
  };
}
