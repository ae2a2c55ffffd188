// The code entry used wherever a code is asked (sign-up, new terminal, removing
// terminals, forgotten password): where it went, one forgiving field, how long
// it stays valid, resend with a countdown on the cloud's clock, tries left, a
// plain "request a new code" once it is dead, and help for a code that does not
// arrive (the advice of the Hik-Connect verification guide).
import type { Channel, Contact, Sent } from './backend';
import type { CloudClock } from './clock';
import { looksComplete } from './code';
import { act, announce, errorLine, field, h, onSubmit } from './dom';
import { formatDuration, type AppError } from './errors';

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

const HINT_DIGITS = 'Type or paste it. Spaces and dashes are fine; O is read as 0, I and l as 1.';
const HINT_LETTERS = 'Type or paste it, in small or capital letters. Spaces and dashes are fine; O is read as 0, I and L as 1.';

/** 600 -> "10 minutes", 90 -> "1 minute 30 seconds", 45 -> "45 seconds". */
export function inWords(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (m === 0) return part(s, 'second');
  return s === 0 ? part(m, 'minute') : `${part(m, 'minute')} ${part(s, 'second')}`;
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
  const contactText = h('strong', { testid: `${o.prefix}-contact` }, chosenContact()?.fuzzyContact ?? 'your email or phone');
  const by = (c: Contact | null) => (c == null ? '.' : c.type === 'phone' ? ' by SMS.' : ' by email.');
  const intro = h('p', { testid: `${o.prefix}-code-sent`, role: 'status' }, 'We will send a verification code to ', contactText, by(chosenContact()));
  // Where the code goes (the Hik-Connect guide: "select the preferred method
  // of delivery"); the choice is remembered for next time.
  const picker = choices.length
    ? h(
        'fieldset',
        { class: 'method', testid: `${o.prefix}-channel` },
        h('legend', {}, 'Send the code by'),
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
                  intro.replaceChildren('We will send a verification code to ', contactText, by(c));
                }
              },
            }),
            c.type === 'phone' ? ` SMS to ${c.fuzzyContact}` : ` Email to ${c.fuzzyContact}`,
          ),
        ),
      )
    : null;
  const sendBtn = h('button', { class: 'primary', type: 'button', testid: `${o.prefix}-send` }, 'Send code');
  const resendBtn = h('button', { type: 'button', class: 'link', testid: `${o.prefix}-resend`, hidden: true }, 'Resend code');
  const haveCodeBtn = h('button', { type: 'button', class: 'link', testid: `${o.prefix}-have-code` }, 'I already have a code');
  const expiry = h('p', { class: 'muted', testid: `${o.prefix}-expiry`, 'aria-live': 'off' });
  const input = h('input', {
    testid: `${o.prefix}-code`,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    placeholder: 'Code from the message',
    maxlength: 24,
    spellcheck: false,
    class: 'code-input',
  });
  const submitBtn = h('button', { class: 'primary', type: 'submit', testid: `${o.prefix}-submit` }, o.submitLabel);
  const codeField = field('Verification code', input, HINT_DIGITS);
  const hint = codeField.querySelector<HTMLElement>('.hint') ?? h('small');
  const error = errorLine();
  const validity = h('li', {}, 'A code is valid for 10 minutes, and only the newest code works: after "Resend code", use the new one.');
  const inbox = o.qaInboxUrl
    ? h('li', {}, 'Simulator: every code this cloud sends is shown in the QA inbox at ', h('code', { testid: 'qa-inbox-hint' }, o.qaInboxUrl), '.')
    : null;
  const forgot = o.onForgotPassword
    ? h('button', { type: 'button', class: 'link', testid: `${o.prefix}-help-reset`, onclick: o.onForgotPassword }, 'reset your password')
    : 'reset your password';
  const help = h(
    'details',
    { class: 'help', testid: `${o.prefix}-help` },
    h('summary', {}, "Didn't receive the code?"),
    h(
      'ul',
      {},
      h('li', {}, 'Check your spam or junk folder: emails with codes are sometimes filtered there.'),
      h('li', {}, 'Check that the address shown above is yours and still in use.'),
      h('li', {}, 'Codes can take a few minutes to arrive. Wait a little, then use "Resend code".'),
      validity,
      h('li', {}, 'After 5 wrong entries a code stops working: request a new one. If you are locked out of your account, wait, or ', forgot, '.'),
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
      announce('The code has expired. Request a new code.');
    }
    if (left === 0 && !saidResend) {
      saidResend = true;
      announce('You can request a new code now.');
    }
    resendBtn.disabled = left > 0 || resendBtn.getAttribute('aria-busy') === 'true';
    if (resendBtn.getAttribute('aria-busy') !== 'true') {
      const label = needNew ? 'Request a new code' : 'Resend code';
      resendBtn.textContent = left > 0 ? `${label} (${formatDuration(left)})` : label;
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
    const when = left > 0 ? `You can request a new code in ${formatDuration(left)}.` : 'Request a new code.';
    if (codeDead) {
      expiry.textContent = `${deadWhy} ${when}`;
    } else if (expired) {
      expiry.textContent = `The code has expired. ${when}`;
    } else if (sentOnce) {
      expiry.textContent = `The code is valid for ${formatDuration(o.clock.left(expiresAt))}.`;
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
    hint.textContent = letters ? HINT_LETTERS : HINT_DIGITS;
    resendAt = sent.cloudNow + (sent.retryAfter ?? 60);
    validFor = sent.expiresIn ?? validFor;
    expiresAt = sent.cloudNow + validFor;
    sentOnce = true;
    codeDead = false;
    saidExpired = false;
    saidResend = false;
    announce(`Code sent to ${sent.contact.fuzzyContact}. It is valid for ${inWords(validFor)}.`);
    validity.textContent = `A code is valid for ${inWords(validFor)}, and only the newest code works: after "Resend code", use the new one.`;
    contactText.textContent = o.address ?? sent.contact.fuzzyContact;
    intro.replaceChildren('We sent a verification code to ', contactText, by(sent.contact));
    sendBtn.hidden = true;
    resendBtn.hidden = false;
    input.value = '';
    tick(); // enables the field, which can then take the focus
    input.focus();
  };
  const onSendError = (e: AppError) => {
    if (e.code === '1041' && e.retryAfter != null) {
      resendAt = o.clock.now() + e.retryAfter;
      resendBtn.hidden = false;
      tick();
    }
  };
  const send = (btn: HTMLButtonElement) =>
    act(btn, 'Sending…', error, async () => applySent(await o.send(channel)), onSendError).finally(tick);
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
    'Checking…',
    error,
    async () => {
      if (!looksComplete(input.value, letters)) {
        input.focus();
        const what = letters ? '4 to 8 letters and digits' : '4 to 8 digits';
        throw { code: 'invalid_input', message: `Enter the code from the message: ${what}.` } satisfies AppError;
      }
      await o.submit(input.value);
    },
    (err) => {
      // A code the cloud replaced by a newer one: the newest still works,
      // so only this entry was wrong (the error line says so).
      if (err.code === '1012' && !/newer/i.test(err.message)) {
        // One line says it, with when a new code can be had.
        codeDead = true;
        deadWhy = err.message.replace(/\s*Request a new code\.?$/, '');
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
