// The code entry used wherever a code is asked: where it went, one forgiving
// field, resend with a countdown on the cloud's clock, tries left, and help for
// a code that does not arrive.
import type { Contact, Sent } from './backend';
import type { CloudClock } from './clock';
import { looksComplete } from './code';
import { busy, errorLine, field, h, onSubmit, showError } from './dom';
import { describe, formatDuration, type AppError } from './errors';

export interface CodeEntryOptions {
  /** testid prefix: `verify` gives verify-code, verify-submit, verify-resend... */
  prefix: string;
  contact: Contact | null;
  clock: CloudClock;
  send: () => Promise<Sent>;
  submit: (code: string) => Promise<void>;
  submitLabel: string;
  qaInboxUrl: string | null;
  /** Resync with the cloud's clock while a countdown runs. */
  syncClock: () => Promise<void>;
}

export function codeEntry(o: CodeEntryOptions): { element: HTMLElement; dispose: () => void } {
  let resendAt = 0;
  let expiresAt = 0;
  let sentOnce = false;
  /** The cloud said 1012: the code on screen can no longer work. */
  let codeDead = false;

  const contactText = h('strong', { testid: `${o.prefix}-contact` }, o.contact?.fuzzyContact ?? 'your email or phone');
  const intro = h(
    'p',
    {},
    'We will send a verification code to ',
    contactText,
    o.contact?.type === 'phone' ? ' by SMS.' : ' by email.',
  );
  const sendBtn = h('button', { class: 'primary', type: 'button', testid: `${o.prefix}-send` }, 'Send code');
  const resendBtn = h('button', { type: 'button', class: 'link', testid: `${o.prefix}-resend`, hidden: true }, 'Resend code');
  const expiry = h('p', { class: 'muted', testid: `${o.prefix}-expiry`, 'aria-live': 'off' });
  const input = h('input', {
    testid: `${o.prefix}-code`,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    placeholder: '6-digit code',
    maxlength: 20,
    class: 'code-input',
  });
  const submitBtn = h('button', { class: 'primary', type: 'submit', testid: `${o.prefix}-submit` }, o.submitLabel);
  const error = errorLine();
  const inbox = o.qaInboxUrl
    ? h('li', {}, 'Simulator: every code this cloud sends is shown in the QA inbox at ', h('code', { testid: 'qa-inbox-hint' }, o.qaInboxUrl), '.')
    : null;
  const help = h(
    'details',
    { class: 'help', testid: `${o.prefix}-help` },
    h('summary', {}, "Didn't receive the code?"),
    h(
      'ul',
      {},
      h('li', {}, 'Check your spam or junk folder: codes are sometimes filtered there.'),
      h('li', {}, 'Check that the contact shown above is yours and still in use.'),
      h('li', {}, 'Codes can take a few minutes to arrive. Wait a little, then use "Resend code".'),
      h('li', {}, 'A code is valid for 10 minutes, and only the newest code works.'),
      h('li', {}, 'After 5 wrong entries a code stops working: request a new one.'),
      inbox,
    ),
  );

  const tick = () => {
    const left = o.clock.left(resendAt);
    resendBtn.disabled = left > 0 || resendBtn.getAttribute('aria-busy') === 'true';
    resendBtn.textContent = left > 0 ? `Resend code (${formatDuration(left)})` : 'Resend code';
    if (codeDead) {
      expiry.textContent = 'This code no longer works. Request a new code.';
    } else if (sentOnce) {
      const valid = o.clock.left(expiresAt);
      expiry.textContent =
        valid > 0 ? `The code is valid for ${formatDuration(valid)}.` : 'The code has expired. Request a new code.';
    }
  };
  const ticker = window.setInterval(tick, 1000);
  // While a countdown runs, ask the cloud for its time every few seconds, so a
  // moved QA clock (or a sleeping laptop) is followed.
  const syncer = window.setInterval(() => {
    if (o.clock.left(resendAt) > 0 || (sentOnce && o.clock.left(expiresAt) > 0)) {
      void o.syncClock().then(tick, () => undefined);
    }
  }, 3000);

  const applySent = (sent: Sent) => {
    o.clock.sync(sent.cloudNow);
    resendAt = sent.cloudNow + (sent.retryAfter ?? 60);
    expiresAt = sent.cloudNow + (sent.expiresIn ?? 600);
    sentOnce = true;
    codeDead = false;
    resendBtn.classList.remove('attention');
    contactText.textContent = sent.contact.fuzzyContact;
    intro.replaceChildren('We sent a verification code to ', contactText, '.');
    sendBtn.hidden = true;
    resendBtn.hidden = false;
    input.focus();
    tick();
  };
  const onSendError = (e: AppError) => {
    if (e.code === '1041' && e.retryAfter != null) {
      resendAt = o.clock.now() + e.retryAfter;
      tick();
    }
    showError(error, describe(e));
  };
  const send = async (btn: HTMLButtonElement) => {
    showError(error, null);
    try {
      applySent(await busy(btn, 'Sending…', o.send));
    } catch (e) {
      onSendError(e as AppError);
    } finally {
      tick();
    }
  };
  sendBtn.addEventListener('click', () => void send(sendBtn));
  resendBtn.addEventListener('click', () => void send(resendBtn));

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    intro,
    sendBtn,
    field('Verification code', input, 'Spaces and dashes are fine; O is read as 0, I and l as 1.'),
    expiry,
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
      if (!looksComplete(input.value)) {
        throw { code: 'invalid_input', message: 'Enter the 6-digit code from the message.' } satisfies AppError;
      }
      await o.submit(input.value);
    },
    (err) => {
      if (err.code === '1012') {
        codeDead = true;
        input.value = '';
        resendBtn.classList.add('attention');
        tick();
      }
    },
  );
  tick();
  return {
    element: form,
    dispose: () => {
      window.clearInterval(ticker);
      window.clearInterval(syncer);
    },
  };
}
