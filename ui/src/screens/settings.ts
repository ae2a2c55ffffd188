// Account security: the profile with masked contacts, where codes go, two-step
// verification, the account's terminals, the password, the email and phone
// (a code to the current contact, then one to the new address), logging out
// and deleting the account. What the cloud deems sensitive from a computer it
// does not trust (80000) asks for a code first, in the same code entry as
// everywhere else.
import { backend, type Channel, type CodePurpose, type Home, type Security, type Terminal } from '../backend';
import { dateTime } from '../clock';
import { sessionEnded } from '../connectivity';
import { act, busy, errorLine, field, h, onSubmit, showError } from '../dom';
import type { AppError } from '../errors';
import { passwordRules } from '../password-rules';
import { activitySection } from './activity';
import { navLink, screenCodeEntry, wideCard, type Nav } from './nav';


function section(title: string, testid: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'settings-section', testid, 'aria-label': title }, h('h2', {}, title), ...children);
}

export function settingsScreen(nav: Nav, start: Home): HTMLElement {
  let home = start;
  let sec: Security | null = null;
  let channel: Channel = 'email';
  /** The first load takes where codes went last time. */
  let first = true;
  const disposers: (() => void)[] = [];
  nav.onLeave(() => disposers.forEach((d) => d()));

  const error = errorLine();
  const notice = h('p', { class: 'notice', testid: 'settings-notice', role: 'status', hidden: true });
  const say = (text: string) => {
    notice.textContent = text;
    notice.hidden = false;
  };
  const body = h('div', { class: 'settings' }, h('p', { class: 'muted' }, 'Loading…'));

  /** A code entry in `host` for `purpose`, replacing what was there. */
  const askCode = (
    host: HTMLElement,
    prefix: string,
    purpose: CodePurpose,
    submitLabel: string,
    submit: (code: string) => Promise<void>,
    opts: { newAddress?: () => string; contactHint?: string; channel?: Channel } = {},
  ) => {
    const viaNew = purpose === 'emailNew' || purpose === 'phoneNew';
    const entry = screenCodeEntry(nav, {
      prefix,
      contact: null,
      send: () =>
        backend.sendSecurityCode(purpose, viaNew ? null : (opts.channel ?? channel), viaNew ? (opts.newAddress?.() ?? '') : null),
      submit,
      submitLabel,
    });
    disposers.push(entry.dispose);
    const cancel = navLink(`${prefix}-cancel`, 'Cancel', () => {
      entry.dispose();
      host.replaceChildren();
    });
    host.replaceChildren(
      h('div', { class: 'code-panel' }, opts.contactHint ? h('p', { class: 'muted' }, opts.contactHint) : null, entry.element, cancel),
    );
    entry.element.querySelector<HTMLButtonElement>(`[data-testid="${prefix}-send"]`)?.focus();
  };

  /**
   * Run `o.run` from `button` without a code; when the cloud asks for one
   * first (80000: this computer is not trusted), open a code entry in
   * `host` whose submit runs it again with the code.
   */
  const withCode = (
    button: HTMLButtonElement,
    busyLabel: string,
    host: HTMLElement,
    o: { prefix: string; purpose: CodePurpose; label: string; hint: string; run: (code: string | null) => Promise<void> },
  ) =>
    void act(button, busyLabel, error, () => o.run(null), (e) => {
      if (e.code !== '80000') return undefined;
      askCode(host, o.prefix, o.purpose, o.label, (code) => o.run(code), { contactHint: o.hint });
      return 'handled';
    });

  const reload = () =>
    backend.security().then(
      (s) => {
        sec = s;
        nav.clock.sync(s.cloudNow);
        if (!(s.email && s.phone)) channel = s.email ? 'email' : 'phone';
        else if (first && s.codeChannel) channel = s.codeChannel;
        first = false;
        render();
      },
      (e) => {
        if (!sessionEnded(e as AppError)) showError(error, (e as AppError).message);
      },
    );

  const profile = (s: Security) =>
    section(
      'Profile',
      'settings-profile',
      h(
        'dl',
        { class: 'profile' },
        h('dt', {}, 'Email'),
        h('dd', { testid: 'profile-email' }, s.fuzzyEmail ?? 'None'),
        h('dt', {}, 'Phone'),
        h('dd', { testid: 'profile-phone' }, s.fuzzyPhone ? `+${s.telephoneCode ?? ''} ${s.fuzzyPhone}` : 'None'),
      ),
      s.email && s.phone
        ? h(
            'fieldset',
            { class: 'method' },
            h('legend', {}, 'Send my codes by'),
            h('label', {}, h('input', { type: 'radio', name: 'channel', testid: 'code-channel-email', checked: channel === 'email', onchange: () => (channel = 'email') }), ` Email (${s.fuzzyEmail})`),
            h('label', {}, h('input', { type: 'radio', name: 'channel', testid: 'code-channel-phone', checked: channel === 'phone', onchange: () => (channel = 'phone') }), ` SMS (${s.fuzzyPhone})`),
          )
        : null,
    );

  const twoStep = (s: Security) => {
    const panel = h('div');
    const target = !s.twoStep;
    const toggle = h('button', { type: 'button', testid: 'two-step-toggle' }, s.twoStep ? 'Turn off' : 'Turn on');
    const done = async () => {
      say(target ? 'Two-step verification is on.' : 'Two-step verification is off: new computers log in with the password alone.');
      await reload();
    };
    toggle.addEventListener('click', () =>
      withCode(toggle, 'Saving…', panel, {
        prefix: 'twostep',
        purpose: 'twoStep',
        label: target ? 'Turn on' : 'Turn off',
        hint: 'This computer is not trusted yet: confirm with a code.',
        run: async (code) => {
          await backend.setTwoStep(target, code);
          await done();
        },
      }),
    );
    return section(
      'Two-step verification',
      'settings-two-step',
      h(
        'p',
        { testid: 'two-step-status' },
        s.twoStep
          ? 'On: a computer or phone new to your account must enter a code sent to you.'
          : 'Off: anyone with your password can log in from anywhere.',
      ),
      toggle,
      panel,
    );
  };

  const terminals = (s: Security) => {
    const panel = h('div');
    const row = (t: Terminal) => {
      const remove = h('button', { type: 'button', class: 'small', testid: 'terminal-remove' }, t.current ? 'Remove this computer' : 'Remove');
      let armed = false;
      const removed = async (loggedOut: boolean) => {
        if (loggedOut) {
          nav.login('This computer was removed from your account. Logging in here will ask for a code again.');
          return;
        }
        say(`${t.name} was removed: it has been logged out and will need a code to log in again.`);
        await reload();
      };
      remove.addEventListener('click', () => {
        if (t.current && !armed) {
          // Removing this computer logs out here: ask once more.
          armed = true;
          remove.textContent = 'Remove and log out';
          remove.classList.add('danger');
          remove.dataset.testid = 'terminal-remove-confirm';
          return;
        }
        withCode(remove, 'Removing…', panel, {
          prefix: 'unbind',
          purpose: 'removeTerminals',
          label: 'Remove',
          hint: `Removing ${t.name}: confirm with a code.`,
          run: async (code) => removed((await backend.removeAccountTerminals([t.terminalId], code)).loggedOut),
        });
      });
      return h(
        'li',
        { class: 'terminal', testid: 'settings-terminal-row', 'data-terminal-id': String(t.terminalId) },
        h(
          'div',
          { class: 'device-text' },
          h('strong', { testid: 'settings-terminal-name' }, t.name, t.current ? h('span', { class: 'badge-this', testid: 'terminal-this' }, 'This computer') : null),
          h('small', { class: 'muted', testid: 'settings-terminal-times' }, `Added ${dateTime(t.addTime)} · last used ${dateTime(t.lastModifytime)}`),
        ),
        remove,
      );
    };
    return section(
      'Trusted terminals',
      'settings-terminals',
      h('p', { class: 'muted' }, s.thisTerminalBound ? 'Computers and phones that log in without a code.' : 'Computers and phones that log in without a code. This computer is not one of them.'),
      h('ul', { class: 'terminals', testid: 'settings-terminal-list' }, ...s.terminals.map(row)),
      panel,
    );
  };

  const password = () => {
    const old = h('input', { type: 'password', testid: 'password-old', autocomplete: 'current-password' });
    const fresh = h('input', { type: 'password', testid: 'password-new', autocomplete: 'new-password' });
    const submit = h('button', { type: 'submit', testid: 'password-submit' }, 'Change password');
    const err = errorLine();
    const form = h('form', { class: 'stack', novalidate: true }, field('Current password', old), field('New password', fresh), passwordRules(fresh, 'password-new-rules'), err, submit);
    onSubmit(form, submit, 'Changing…', err, async () => {
      await backend.changePassword(old.value, fresh.value);
      old.value = '';
      fresh.value = '';
      say('Your password has been changed. Other computers and phones were logged out.');
    });
    return section('Password', 'settings-password', form);
  };

  /** Change (or add) the email, or with `phone` the phone number. */
  const contact = (s: Security, phone: boolean) => {
    const kind = phone ? 'phone' : 'email';
    const panel = h('div');
    const start = h('button', { type: 'button', testid: `${kind}-change` }, (phone ? s.phone : s.email) ? `Change ${phone ? 'phone number' : 'email'}` : `Add ${phone ? 'a phone number' : 'an email'}`);
    start.addEventListener('click', () => {
      const input = phone
        ? h('input', { type: 'tel', testid: 'phone-new', autocomplete: 'tel-national' })
        : h('input', { type: 'email', testid: 'email-new', autocomplete: 'email' });
      const step = h('div');
      const current = channel === 'phone' ? s.fuzzyPhone : s.fuzzyEmail;
      const label = phone ? `New phone number (+${s.telephoneCode ?? ''})` : 'New email address';
      panel.replaceChildren(field(label, input), step);
      input.focus();
      askCode(step, `${kind}-old`, phone ? 'phoneOld' : 'emailOld', 'Next', async (oldCode) => {
        if (!input.value.trim()) {
          input.focus();
          throw { code: 'invalid_input', message: `Enter the new ${phone ? 'phone number' : 'email address'} first.` } satisfies AppError;
        }
        const address = input.value.trim();
        input.disabled = true;
        askCode(step, `${kind}-new`, phone ? 'phoneNew' : 'emailNew', `Change ${phone ? 'phone number' : 'email'}`, async (newCode) => {
          home = await backend.changeContact(phone, address, oldCode, newCode, channel);
          say(phone ? `Your phone number is now ${address}.` : `Your email is now ${address}. Log in with it from now on.`);
          await reload();
          offerTest(phone, address);
        }, { newAddress: () => address, contactHint: `Step 2 of 2: a code to ${address}.` });
      }, { contactHint: `Step 1 of 2: a code to your current ${channel === 'phone' ? 'phone' : 'email'} (${current ?? 'on file'}).` });
    });
    return section(phone ? 'Phone number' : 'Email', `settings-${kind}`, start, panel);
  };

  /** After a change: offer a test code to the new address (the guide's
   * advice), confirmed when it is typed back. */
  const offerTest = (phone: boolean, address: string) => {
    const host = document.querySelector<HTMLElement>(`[data-testid="settings-${phone ? 'phone' : 'email'}"]`);
    if (!host) return;
    const panel = h('div', { class: 'code-panel' });
    const start = h('button', { type: 'button', testid: 'contact-test-start' }, `Send a test code to ${address}`);
    start.addEventListener('click', () =>
      askCode(panel, 'contact-test', 'contactTest', 'Confirm', async (code) => {
        await backend.confirmContactTest(code);
        panel.replaceChildren();
        say(`The test code arrived at ${address} and was typed back: your codes will reach you there.`);
      }, { channel: phone ? 'phone' : 'email', contactHint: `A test code to ${address}: type it back to check that it arrives.` }),
    );
    panel.append(h('p', { class: 'muted', testid: 'contact-test-offer' }, 'Check that codes reach the new address:'), start);
    host.append(panel);
  };

  const danger = () => {
    const logout = h('button', { type: 'button', testid: 'nav-logout' }, 'Log out');
    logout.addEventListener('click', async () => {
      await busy(logout, 'Logging out…', backend.logout).catch(() => undefined);
      nav.login('You have logged out.');
    });
    const panel = h('div');
    const start = h('button', { type: 'button', class: 'danger', testid: 'delete-start' }, 'Delete account');
    start.addEventListener('click', () => {
      const confirm = h('input', { type: 'checkbox', testid: 'delete-confirm', id: 'delete-confirm' });
      const step = h('div', { hidden: true });
      confirm.addEventListener('change', () => (step.hidden = !confirm.checked));
      panel.replaceChildren(
        h('p', { class: 'warning' }, 'Deleting your account removes it, its devices and its terminals for good. It cannot be undone.'),
        h('label', { for: 'delete-confirm', class: 'check' }, confirm, ' I understand: delete my account for good'),
        step,
      );
      askCode(step, 'delete', 'deleteAccount', 'Delete my account', async (code) => {
        await backend.deleteAccount(code);
        nav.login('Your account has been deleted.');
      }, { contactHint: 'Confirm with a code sent to you.' });
    });
    return section('Leave', 'settings-leave', h('div', { class: 'row wrap' }, logout, start), panel);
  };

  const render = () => {
    if (!sec) return;
    for (const d of disposers.splice(0)) d();
    body.replaceChildren(
      profile(sec),
      twoStep(sec),
      terminals(sec),
      activitySection(sec.activity, sec.cloudNow),
      password(),
      contact(sec, false),
      contact(sec, true),
      danger(),
    );
  };
  void reload();

  return wideCard(
    'Account security',
    h('p', { class: 'alt' }, navLink('nav-home', '← Back to devices', () => nav.home(home))),
    notice,
    error,
    body,
  );
}
