// Account security: the profile with masked contacts, where codes go, two-step
// verification, the account's terminals, the password, the email and phone
// (a code to the current contact, then one to the new address), logging out
// and deleting the account. What the cloud deems sensitive from a computer it
// does not trust (80000) asks for a code first, in the same code entry as
// everywhere else.
import { backend, type Channel, type CodePurpose, type Home, type Security, type Terminal } from '../backend';
import { sessionEnded } from '../connectivity';
import { act, busy, errorLine, field, focusHeading, h, onSubmit, showError } from '../dom';
import { describe, type AppError } from '../errors';
import { ltr, t } from '../i18n';
import { dateTime } from '../i18n/format';
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
  const body = h('div', { class: 'settings' }, h('p', { class: 'muted' }, t('common.loading')));

  /** A code entry in `host` for `purpose`, replacing what was there. */
  const askCode = (
    host: HTMLElement,
    prefix: string,
    purpose: CodePurpose,
    submitLabel: string,
    submit: (code: string) => Promise<void>,
    opts: { newAddress?: () => string; contactHint?: string; channel?: Channel; keepFocus?: boolean; onCancel?: () => void } = {},
  ) => {
    const viaNew = purpose === 'emailNew' || purpose === 'phoneNew';
    const entry = screenCodeEntry(nav, {
      prefix,
      contact: null,
      send: () =>
        backend.sendSecurityCode(purpose, viaNew ? null : (opts.channel ?? channel), viaNew ? (opts.newAddress?.() ?? '') : null),
      submit,
      submitLabel,
      // The keyboard goes on to *Send code*, unless a field above comes first.
      autofocus: !opts.keepFocus,
    });
    disposers.push(entry.dispose);
    const cancel = navLink(`${prefix}-cancel`, t('common.cancel'), () => {
      // The keyboard goes back to the section's heading, not to nothing.
      const heading = host.closest('.settings-section')?.querySelector<HTMLElement>('h2');
      entry.dispose();
      host.replaceChildren();
      opts.onCancel?.();
      if (heading) focusHeading(heading);
    });
    host.replaceChildren(
      h('div', { class: 'code-panel' }, opts.contactHint ? h('p', { class: 'muted' }, opts.contactHint) : null, entry.element, cancel),
    );
  };

  /** The error line just above `host` (made on first use): a failure is
   * shown beside the button that failed, not at the top of a long page. */
  const errorBeside = (host: HTMLElement): HTMLElement => {
    const before = host.previousElementSibling;
    if (before instanceof HTMLElement && before.dataset.testid === 'error-message') return before;
    const line = errorLine();
    host.before(line);
    return line;
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
    void act(button, busyLabel, errorBeside(host), () => o.run(null), (e) => {
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
        if (!sessionEnded(e as AppError)) showError(error, describe(e as AppError));
      },
    );

  const profile = (s: Security) =>
    section(
      t('profile.title'),
      'settings-profile',
      h(
        'dl',
        { class: 'profile' },
        h('dt', {}, t('profile.email')),
        h('dd', { testid: 'profile-email', dir: s.fuzzyEmail ? 'ltr' : null }, s.fuzzyEmail ?? t('profile.none')),
        h('dt', {}, t('profile.phone')),
        h('dd', { testid: 'profile-phone', dir: s.fuzzyPhone ? 'ltr' : null }, s.fuzzyPhone ? `+${s.telephoneCode ?? ''} ${s.fuzzyPhone}` : t('profile.none')),
      ),
      s.email && s.phone
        ? h(
            'fieldset',
            { class: 'method' },
            h('legend', {}, t('profile.sendBy')),
            h('label', {}, h('input', { type: 'radio', name: 'channel', testid: 'code-channel-email', checked: channel === 'email', onchange: () => (channel = 'email') }), ' ', t('profile.byEmail', { contact: ltr(s.fuzzyEmail ?? '') })),
            h('label', {}, h('input', { type: 'radio', name: 'channel', testid: 'code-channel-phone', checked: channel === 'phone', onchange: () => (channel = 'phone') }), ' ', t('profile.bySms', { contact: ltr(s.fuzzyPhone ?? '') })),
          )
        : null,
    );

  const twoStep = (s: Security) => {
    const panel = h('div');
    const target = !s.twoStep;
    const toggle = h('button', { type: 'button', testid: 'two-step-toggle' }, s.twoStep ? t('twoStep.turnOff') : t('twoStep.turnOn'));
    const done = async () => {
      say(target ? t('twoStep.nowOn') : t('twoStep.nowOff'));
      await reload();
    };
    toggle.addEventListener('click', () =>
      withCode(toggle, t('common.saving'), panel, {
        prefix: 'twostep',
        purpose: 'twoStep',
        label: target ? t('twoStep.turnOn') : t('twoStep.turnOff'),
        hint: t('twoStep.confirm'),
        run: async (code) => {
          await backend.setTwoStep(target, code);
          await done();
        },
      }),
    );
    return section(
      t('twoStep.title'),
      'settings-two-step',
      h('p', { testid: 'two-step-status' }, s.twoStep ? t('twoStep.on') : t('twoStep.off')),
      toggle,
      panel,
    );
  };

  const terminals = (s: Security) => {
    const panel = h('div');
    const row = (term: Terminal) => {
      const remove = h('button', { type: 'button', class: 'small', testid: 'terminal-remove' }, term.current ? t('terminal.removeThis') : t('terminal.remove'));
      let armed = false;
      const removed = async (loggedOut: boolean) => {
        if (loggedOut) {
          nav.login('notice.thisRemoved');
          return;
        }
        say(t('terminal.removed', { name: term.name }));
        await reload();
      };
      remove.addEventListener('click', () => {
        if (term.current && !armed) {
          // Removing this computer logs out here: ask once more.
          armed = true;
          remove.textContent = t('terminal.removeAndLogOut');
          remove.classList.add('danger');
          remove.dataset.testid = 'terminal-remove-confirm';
          return;
        }
        withCode(remove, t('terminal.removing'), panel, {
          prefix: 'unbind',
          purpose: 'removeTerminals',
          label: t('terminal.remove'),
          hint: t('terminal.confirm', { name: term.name }),
          run: async (code) => removed((await backend.removeAccountTerminals([term.terminalId], code)).loggedOut),
        });
      });
      return h(
        'li',
        { class: 'terminal', testid: 'settings-terminal-row', 'data-terminal-id': String(term.terminalId) },
        h(
          'div',
          { class: 'device-text' },
          h('strong', { testid: 'settings-terminal-name' }, h('span', { translate: 'no' }, term.name), term.current ? h('span', { class: 'badge-this', testid: 'terminal-this' }, t('terminal.this')) : null),
          h('small', { class: 'muted', testid: 'settings-terminal-times' }, t('terminal.times', { added: dateTime(term.addTime), used: dateTime(term.lastModifytime) })),
        ),
        remove,
      );
    };
    return section(
      t('terminals.list'),
      'settings-terminals',
      h('p', { class: 'muted' }, s.thisTerminalBound ? t('terminal.intro') : t('terminal.introNotThis')),
      h('ul', { class: 'terminals', testid: 'settings-terminal-list' }, ...s.terminals.map(row)),
      panel,
    );
  };

  const password = () => {
    const old = h('input', { type: 'password', testid: 'password-old', autocomplete: 'current-password' });
    const fresh = h('input', { type: 'password', testid: 'password-new', autocomplete: 'new-password' });
    const submit = h('button', { type: 'submit', testid: 'password-submit' }, t('passwordChange.submit'));
    const err = errorLine();
    const form = h('form', { class: 'stack', novalidate: true }, field(t('passwordChange.current'), old), field(t('password.new'), fresh), passwordRules(fresh, 'password-new-rules'), err, submit);
    onSubmit(form, submit, t('passwordChange.busy'), err, async () => {
      await backend.changePassword(old.value, fresh.value);
      old.value = '';
      fresh.value = '';
      say(t('passwordChange.done'));
    });
    return section(t('login.password'), 'settings-password', form);
  };

  /** Change (or add) the email, or with `phone` the phone number. */
  const contact = (s: Security, phone: boolean) => {
    const kind = phone ? 'phone' : 'email';
    const panel = h('div');
    const has = Boolean(phone ? s.phone : s.email);
    const start = h('button', { type: 'button', testid: `${kind}-change` }, t(has ? 'contact.change' : 'contact.add', { kind }));
    start.addEventListener('click', () => {
      const input = phone
        ? h('input', { type: 'tel', testid: 'phone-new', autocomplete: 'tel-national' })
        : h('input', { type: 'email', testid: 'email-new', autocomplete: 'email' });
      const step = h('div');
      const current = channel === 'phone' ? s.fuzzyPhone : s.fuzzyEmail;
      const label = phone ? t('contact.newPhone', { dial: ltr(`+${s.telephoneCode ?? ''}`) }) : t('contact.newEmail');
      panel.replaceChildren(field(label, input), step);
      input.focus();
      askCode(step, `${kind}-old`, phone ? 'phoneOld' : 'emailOld', t('common.next'), async (oldCode) => {
        if (!input.value.trim()) {
          input.focus();
          throw { code: 'invalid_input', message: 'no new address', field: kind, rule: kind } satisfies AppError;
        }
        const address = input.value.trim();
        input.disabled = true;
        askCode(step, `${kind}-new`, phone ? 'phoneNew' : 'emailNew', t('contact.change', { kind }), async (newCode) => {
          home = await backend.changeContact(phone, address, oldCode, newCode, channel);
          say(t('contact.changed', { kind, address: ltr(address) }));
          await reload();
          offerTest(phone, address);
        }, { newAddress: () => address, onCancel: () => panel.replaceChildren(), contactHint: t('contact.step2', { address: ltr(address) }) });
      }, { keepFocus: true, onCancel: () => panel.replaceChildren(), contactHint: current ? t('contact.step1', { kind: channel, current: ltr(current) }) : t('contact.step1OnFile', { kind: channel }) });
    });
    return section(phone ? t('signup.phone') : t('profile.email'), `settings-${kind}`, start, panel);
  };

  /** After a change: offer a test code to the new address (the guide's
   * advice), confirmed when it is typed back. */
  const offerTest = (phone: boolean, address: string) => {
    const host = document.querySelector<HTMLElement>(`[data-testid="settings-${phone ? 'phone' : 'email'}"]`);
    if (!host) return;
    const panel = h('div', { class: 'code-panel' });
    const start = h('button', { type: 'button', testid: 'contact-test-start' }, t('contactTest.send', { address: ltr(address) }));
    start.addEventListener('click', () =>
      askCode(panel, 'contact-test', 'contactTest', t('common.confirm'), async (code) => {
        await backend.confirmContactTest(code);
        panel.replaceChildren();
        say(t('contactTest.done', { address: ltr(address) }));
      }, { channel: phone ? 'phone' : 'email', contactHint: t('contactTest.hint', { address: ltr(address) }) }),
    );
    panel.append(h('p', { class: 'muted', testid: 'contact-test-offer' }, t('contactTest.offer')), start);
    host.append(panel);
  };

  const danger = () => {
    const logout = h('button', { type: 'button', testid: 'nav-logout' }, t('nav.logout'));
    logout.addEventListener('click', async () => {
      await busy(logout, t('nav.loggingOut'), backend.logout).catch(() => undefined);
      nav.login('notice.loggedOut');
    });
    const panel = h('div');
    const start = h('button', { type: 'button', class: 'danger', testid: 'delete-start' }, t('delete.start'));
    start.addEventListener('click', () => {
      const confirm = h('input', { type: 'checkbox', testid: 'delete-confirm', id: 'delete-confirm' });
      const step = h('div', { hidden: true });
      confirm.addEventListener('change', () => (step.hidden = !confirm.checked));
      panel.replaceChildren(
        h('p', { class: 'warning' }, t('delete.warning')),
        h('label', { for: 'delete-confirm', class: 'check' }, confirm, ' ', t('delete.understand')),
        step,
      );
      askCode(step, 'delete', 'deleteAccount', t('delete.submit'), async (code) => {
        await backend.deleteAccount(code);
        nav.login('notice.accountDeleted');
      }, { contactHint: t('delete.hint'), keepFocus: true });
      confirm.focus();
    });
    return section(t('leave.title'), 'settings-leave', h('div', { class: 'row wrap' }, logout, start), panel);
  };

  // Where the keyboard was, so that a redraw after a change puts it back:
  // on the same control, or on its section's heading when that is gone.
  let lastFocus: { section: string; testid: string } | null = null;
  body.addEventListener('focusin', (ev) => {
    const el = ev.target as HTMLElement;
    const sec = el.closest<HTMLElement>('.settings-section');
    if (sec?.dataset.testid) lastFocus = { section: sec.dataset.testid, testid: el.dataset.testid ?? '' };
  });
  const refocus = () => {
    const at = document.activeElement;
    if (!lastFocus || (at && at !== document.body && at.isConnected)) return;
    const sec = body.querySelector<HTMLElement>(`[data-testid="${lastFocus.section}"]`);
    const same = lastFocus.testid ? sec?.querySelector<HTMLElement>(`[data-testid="${lastFocus.testid}"]`) : null;
    const heading = sec?.querySelector<HTMLElement>('h2');
    if (same) same.focus();
    else if (heading) focusHeading(heading);
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
    refocus();
  };
  void reload();

  return wideCard(
    t('settings.title'),
    h('p', { class: 'alt' }, navLink('nav-home', t('settings.back'), () => nav.home(home), 'back')),
    notice,
    error,
    body,
  );
}
