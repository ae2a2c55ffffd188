// The QA drawer: what the cloud sent to the account at hand (with the codes),
// its clock (+1 minute, +10 minutes, +1 hour), delivery faults per channel, and
// the inbox page. It is how QA reaches an expired code, a lockout or a code
// that never arrives without waiting. Opened by its button or Ctrl+Shift+Q.
import { backend, type AppError, type OutboxMessage, type QaFault, type QaView } from './backend';
import type { CloudClock } from './clock';
import { act, announce, errorLine, h, showError } from './dom';
import { describe } from './errors';
import { t, tn, type MessageKey } from './i18n';
import { dateTime, list, percent, when } from './i18n/format';

const CHANNELS = ['email', 'sms'] as const;
type Channel = (typeof CHANNELS)[number];

function describeFault(f: QaFault | undefined): string {
  if (!f || (f.delaySeconds === 0 && f.dropRate === 0 && f.failNext === 0)) return t('qa.fault.normal');
  const parts: string[] = [];
  if (f.delaySeconds) parts.push(t('qa.fault.late', { seconds: f.delaySeconds }));
  if (f.dropRate) parts.push(t('qa.fault.dropped', { share: percent(f.dropRate) }));
  if (f.failNext) parts.push(t('qa.fault.failing', { count: f.failNext }));
  return t('qa.fault.state', { faults: list(parts) });
}

/** Each scenario of the cloud by its name. */
const SCENARIOS: Record<string, MessageKey> = {
  'code-never-arrives': 'qa.scenario.codeNeverArrives',
  'code-arrives-late': 'qa.scenario.codeArrivesLate',
  'code-expired': 'qa.scenario.codeExpired',
  'one-try-left': 'qa.scenario.oneTryLeft',
  'captcha-required': 'qa.scenario.captchaRequired',
  'account-locked': 'qa.scenario.accountLocked',
  'terminals-full': 'qa.scenario.terminalsFull',
  'other-region': 'qa.scenario.otherRegion',
  'cloud-times-out': 'qa.scenario.cloudTimesOut',
  'session-expired': 'qa.scenario.sessionExpired',
};

/** A message's status in words (`sent`, `delivered`, ...; another: as is). */
const STATUS: Record<string, MessageKey> = {
  queued: 'qa.status.queued',
  sending: 'qa.status.sending',
  delayed: 'qa.status.delayed',
  delivered: 'qa.status.delivered',
  dropped: 'qa.status.dropped',
  failed: 'qa.status.failed',
};

/** One message; `now` is the cloud's clock, for "2 minutes ago". The
 * subject and text are the cloud's own, in the account's language. */
function message(m: OutboxMessage, now: number): HTMLElement {
  const status = STATUS[m.status];
  return h(
    'li',
    { class: 'qa-message', testid: 'qa-message', 'data-biz': m.bizType ?? '' },
    h(
      'div',
      { class: 'row' },
      m.code
        ? h('code', { class: 'qa-code', testid: 'qa-message-code', dir: 'ltr' }, m.code)
        : h('strong', { class: 'qa-notice', testid: 'qa-message-notice', translate: 'no', dir: 'auto' }, m.subject),
      h('span', { class: `qa-status ${m.status}`, testid: 'qa-message-status' }, status ? t(status) : m.status),
    ),
    m.code ? null : h('p', { class: 'qa-notice-text', testid: 'qa-message-text', translate: 'no', dir: 'auto' }, m.body),
    h(
      'small',
      {},
      ...tn(m.channel === 'sms' ? 'qa.message.sms' : 'qa.message.email', {
        biz: m.bizType ? h('code', { translate: 'no' }, m.bizType) : t('qa.message.notice'),
        to: h('bdi', { dir: 'ltr' }, m.to),
      }),
      ' · ',
      h('time', { title: dateTime(m.sentAt) }, when(m.sentAt, now)),
    ),
  );
}

export interface QaDrawer {
  button: HTMLButtonElement;
  drawer: HTMLElement;
}

export function qaDrawer(clock: CloudClock, inboxUrl: string | null): QaDrawer {
  const button = h('button', { type: 'button', class: 'qa-open', testid: 'qa-open', 'aria-expanded': 'false', 'aria-controls': 'qa-drawer', title: t('qa.open') }, t('qa.button'));
  const close = h('button', { type: 'button', class: 'link', testid: 'qa-close' }, t('common.close'));
  const error = errorLine();
  const addresses = h('p', { class: 'muted', testid: 'qa-addresses' });
  // It scrolls: reachable by keyboard, so that its arrows and Page Down
  // scroll it (WCAG 2.1.1), and named by its heading.
  // Not a live region: it is redrawn every two seconds; a new message is said once.
  const messages = h('ul', { class: 'qa-messages', testid: 'qa-messages', tabindex: '0', 'aria-labelledby': 'qa-messages-title' });
  let seen = -1;
  const now = h('strong', { testid: 'qa-clock-now' });

  const clockButton = (testid: string, label: string, seconds: number) => {
    const b = h('button', { type: 'button', testid }, label);
    b.addEventListener('click', () =>
      void act(b, t('qa.busy'), error, async () => {
        clock.sync(await backend.qaAdvanceClock(seconds));
        await refresh();
      }),
    );
    return b;
  };

  const faultForms = CHANNELS.map((ch: Channel) => {
    const delay = h('input', { type: 'number', min: 0, max: 86400, value: '0', testid: `qa-fault-${ch}-delay`, id: `qa-${ch}-delay` });
    const drop = h('input', { type: 'checkbox', testid: `qa-fault-${ch}-drop`, id: `qa-${ch}-drop` });
    const fail = h('input', { type: 'number', min: 0, max: 100, value: '0', testid: `qa-fault-${ch}-fail`, id: `qa-${ch}-fail` });
    const apply = h('button', { type: 'button', testid: `qa-fault-${ch}-apply` }, t('qa.fault.apply'));
    const state = h('p', { class: 'muted', testid: `qa-fault-${ch}-state` });
    apply.addEventListener('click', () =>
      void act(apply, t('qa.fault.applying'), error, async () => {
        const fault: QaFault = {
          delaySeconds: Math.max(0, Math.floor(Number(delay.value) || 0)),
          dropRate: drop.checked ? 1 : 0,
          failNext: Math.max(0, Math.floor(Number(fail.value) || 0)),
        };
        showFaults(await backend.qaSetFault(ch, fault));
      }),
    );
    const box = h(
      'fieldset',
      { class: 'qa-fault' },
      h('legend', {}, ch === 'email' ? t('profile.email') : t('qa.sms')),
      h('label', { for: delay.id }, t('qa.fault.delay'), ' ', delay),
      h('label', { for: drop.id }, drop, ' ', t('qa.fault.drop')),
      h('label', { for: fail.id }, t('qa.fault.fail'), ' ', fail),
      apply,
      state,
    );
    return { ch, box, state };
  });
  const showFaults = (faults: Partial<Record<string, QaFault>>) => {
    for (const f of faultForms) f.state.textContent = describeFault(faults[f.ch]);
  };
  const clear = h('button', { type: 'button', testid: 'qa-faults-clear' }, t('qa.fault.clear'));
  clear.addEventListener('click', () => void act(clear, t('qa.fault.clearing'), error, async () => showFaults(await backend.qaClearFaults())));

  // One-click scenarios: each case of the guide's troubleshooting section.
  const scenario = h('select', { testid: 'qa-scenario', id: 'qa-scenario', 'aria-label': t('qa.scenario') });
  const freshBox = h('input', { type: 'checkbox', testid: 'qa-scenario-fresh', id: 'qa-scenario-fresh' });
  const runScenario = h('button', { type: 'button', testid: 'qa-scenario-run' }, t('qa.scenario.run'));
  const scenarioResult = h('p', { class: 'muted', testid: 'qa-scenario-result', role: 'status' });
  runScenario.addEventListener('click', () =>
    void act(runScenario, t('qa.scenario.running'), error, async () => {
      const done = await backend.qaScenario(scenario.value, freshBox.checked);
      const who = done.password
        ? t('qa.scenario.accountPassword', { account: done.account, password: done.password })
        : t('qa.scenario.account', { account: done.account });
      scenarioResult.textContent = `${done.summary} ${who}`;
      await refresh();
    }),
  );

  const inbox = h('button', { type: 'button', class: 'link', testid: 'qa-inbox-open' }, t('qa.inbox.open'));
  inbox.addEventListener('click', () => void act(inbox, t('qa.inbox.opening'), error, backend.openQaInbox));

  const drawer = h(
    'div',
    // A dialog that keeps the keyboard while open (Tab goes round inside it,
    // Escape leaves); the mouse may still use the app beside it, since QA
    // watches a countdown there while moving the clock here.
    { id: 'qa-drawer', class: 'qa-drawer', testid: 'qa-drawer', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'qa-title', hidden: true },
    h('div', { class: 'row' }, h('h2', { id: 'qa-title' }, t('qa.title')), close),
    error,
    h('h3', {}, t('qa.scenarios')),
    h('p', { class: 'muted' }, t('qa.scenarios.intro')),
    scenario,
    h('label', { for: freshBox.id, class: 'check' }, freshBox, ' ', t('qa.scenario.fresh')),
    runScenario,
    scenarioResult,
    h('h3', { id: 'qa-messages-title' }, t('qa.messages')),
    addresses,
    messages,
    h('h3', {}, t('qa.clock')),
    h('p', {}, t('qa.clock.now'), ' ', now),
    h(
      'div',
      { class: 'row wrap' },
      clockButton('qa-clock-1m', t('qa.clock.plusMinutes', { count: 1 }), 60),
      clockButton('qa-clock-10m', t('qa.clock.plusMinutes', { count: 10 }), 600),
      clockButton('qa-clock-1h', t('qa.clock.plusHours', { count: 1 }), 3600),
    ),
    h('h3', {}, t('qa.faults')),
    ...faultForms.map((f) => f.box),
    clear,
    h('h3', {}, t('qa.inbox')),
    h('p', { class: 'muted' }, inbox, inboxUrl ? h('br') : null, inboxUrl ? h('code', { testid: 'qa-inbox-link', dir: 'ltr' }, inboxUrl) : null),
  );

  const show = (v: QaView) => {
    clock.sync(v.cloudNow);
    now.textContent = dateTime(v.cloudNow);
    addresses.textContent = v.addresses.length ? t('qa.addresses', { addresses: list(v.addresses) }) : t('qa.addresses.none');
    messages.replaceChildren(...v.messages.map((m) => message(m, v.cloudNow)));
    if (seen >= 0 && v.messages.length > seen) announce(t('qa.messages.arrived', { count: v.messages.length - seen }));
    seen = v.messages.length;
    if (v.messages.length === 0) messages.append(h('li', { class: 'muted' }, t('qa.messages.none')));
    showFaults(v.faults);
    if (scenario.options.length === 0) {
      // By name in the app's language; a scenario this app does not know
      // yet, by the cloud's own title.
      scenario.replaceChildren(
        ...v.scenarios.map((sc) => {
          const key = SCENARIOS[sc.name];
          return h('option', { value: sc.name, translate: key ? null : 'no' }, key ? t(key) : sc.title);
        }),
      );
    }
    // With no account at hand, a scenario makes its own.
    freshBox.disabled = v.addresses.length === 0;
    if (freshBox.disabled) freshBox.checked = true;
  };
  let refreshing = false;
  const refresh = async () => {
    if (refreshing) return;
    refreshing = true;
    try {
      show(await backend.qaView());
    } catch (e) {
      showError(error, describe(e as AppError));
    } finally {
      refreshing = false;
    }
  };
  let poller = 0;
  const toggle = (open: boolean) => {
    drawer.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    window.clearInterval(poller);
    if (open) {
      void refresh();
      poller = window.setInterval(() => void refresh(), 2000);
      close.focus();
    } else {
      button.focus();
    }
  };
  button.addEventListener('click', () => toggle(drawer.hidden));
  close.addEventListener('click', () => toggle(false));
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey && ev.shiftKey && ev.key.toLowerCase() === 'q') {
      ev.preventDefault();
      toggle(drawer.hidden);
    } else if (ev.key === 'Escape' && !drawer.hidden) {
      toggle(false);
    } else if ((ev.key === 'Tab' || ev.code === 'Tab') && !drawer.hidden) {
      // Shift+Tab arrives from GTK as ISO_Left_Tab: WebKitGTK names its key
      // "Unidentified", so the physical key (`code`) tells.
      keepFocusIn(drawer, ev);
    }
  });
  return { button, drawer };
}

/** Tab from the drawer's last control goes to its first, Shift+Tab from its
 * first to its last; focus outside the drawer (the mouse put it there) is
 * left alone. */
function keepFocusIn(drawer: HTMLElement, ev: KeyboardEvent): void {
  const at = document.activeElement;
  if (!(at instanceof HTMLElement) || !drawer.contains(at)) return;
  const stops = Array.from(
    drawer.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"])'),
  ).filter((el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0);
  const first = stops[0];
  const last = stops[stops.length - 1];
  if (!first || !last) return;
  if (ev.shiftKey && at === first) {
    ev.preventDefault();
    last.focus();
  } else if (!ev.shiftKey && at === last) {
    ev.preventDefault();
    first.focus();
  }
}
