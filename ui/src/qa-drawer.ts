// The QA drawer: what the cloud sent to the account at hand (with the codes),
// its clock (+1 minute, +10 minutes, +1 hour), delivery faults per channel, and
// the inbox page. It is how QA reaches an expired code, a lockout or a code
// that never arrives without waiting. Opened by its button or Ctrl+Shift+Q.
import { backend, type AppError, type OutboxMessage, type QaFault, type QaView } from './backend';
import { dateTime, when, type CloudClock } from './clock';
import { act, errorLine, h, showError } from './dom';

const CHANNELS = ['email', 'sms'] as const;
type Channel = (typeof CHANNELS)[number];

function describeFault(f: QaFault | undefined): string {
  if (!f || (f.delaySeconds === 0 && f.dropRate === 0 && f.failNext === 0)) return 'Delivering normally.';
  const parts: string[] = [];
  if (f.delaySeconds) parts.push(`${f.delaySeconds} s late`);
  if (f.dropRate) parts.push(`${Math.round(f.dropRate * 100)}% dropped`);
  if (f.failNext) parts.push(`next ${f.failNext} fail`);
  return `${parts.join(', ')}.`;
}


/** One message; `now` is the cloud's clock, for "2 minutes ago". */
function message(m: OutboxMessage, now: number): HTMLElement {
  return h(
    'li',
    { class: 'qa-message', testid: 'qa-message', 'data-biz': m.bizType ?? '' },
    h(
      'div',
      { class: 'row' },
      m.code
        ? h('code', { class: 'qa-code', testid: 'qa-message-code' }, m.code)
        : h('strong', { class: 'qa-notice', testid: 'qa-message-notice' }, noticeTitle(m.subject)),
      h('span', { class: `qa-status ${m.status}`, testid: 'qa-message-status' }, m.status),
    ),
    m.code ? null : h('p', { class: 'qa-notice-text', testid: 'qa-message-text' }, noticeText(m.body)),
    h('small', {}, `${m.bizType ?? 'message'} · ${m.channel} to ${m.to} · `, h('time', { title: dateTime(m.sentAt) }, when(m.sentAt, now))),
  );
}

export interface QaDrawer {
  button: HTMLButtonElement;
  drawer: HTMLElement;
}

/** A notice's subject without the brand: "Security notice: your password was changed". */
function noticeTitle(subject: string): string {
  const t = subject.replace(/^Hik-Connect( security notice)?:?\s*/, '');
  return t ? `Security notice: ${t}` : 'Security notice';
}

/** A message's text without greeting, signature or SMS prefix. */
function noticeText(body: string): string {
  return body
    .replace(/^\[Hik-Connect\]\s*/, '')
    .replace(/^Hello,\s*/, '')
    .replace(/\s*The Hik-Connect team \(simulated\)\s*$/, '')
    .trim();
}

export function qaDrawer(clock: CloudClock, inboxUrl: string | null): QaDrawer {
  const button = h('button', { type: 'button', class: 'qa-open', testid: 'qa-open', 'aria-expanded': 'false', 'aria-controls': 'qa-drawer', title: 'QA drawer (Ctrl+Shift+Q)' }, 'QA');
  const close = h('button', { type: 'button', class: 'link', testid: 'qa-close' }, 'Close');
  const error = errorLine();
  const addresses = h('p', { class: 'muted', testid: 'qa-addresses' });
  const messages = h('ul', { class: 'qa-messages', testid: 'qa-messages', 'aria-live': 'polite' });
  const now = h('strong', { testid: 'qa-clock-now' });

  const clockButton = (testid: string, label: string, seconds: number) => {
    const b = h('button', { type: 'button', testid }, label);
    b.addEventListener('click', () =>
      void act(b, '…', error, async () => {
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
    const apply = h('button', { type: 'button', testid: `qa-fault-${ch}-apply` }, 'Apply');
    const state = h('p', { class: 'muted', testid: `qa-fault-${ch}-state` });
    apply.addEventListener('click', () =>
      void act(apply, 'Applying…', error, async () => {
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
      h('legend', {}, ch === 'email' ? 'Email' : 'SMS'),
      h('label', { for: delay.id }, 'Delay (s) ', delay),
      h('label', { for: drop.id }, drop, ' Drop every message'),
      h('label', { for: fail.id }, 'Fail the next ', fail),
      apply,
      state,
    );
    return { ch, box, state };
  });
  const showFaults = (faults: Partial<Record<string, QaFault>>) => {
    for (const f of faultForms) f.state.textContent = describeFault(faults[f.ch]);
  };
  const clear = h('button', { type: 'button', testid: 'qa-faults-clear' }, 'Deliver normally');
  clear.addEventListener('click', () => void act(clear, 'Clearing…', error, async () => showFaults(await backend.qaClearFaults())));

  // One-click scenarios: each case of the guide's troubleshooting section.
  const scenario = h('select', { testid: 'qa-scenario', id: 'qa-scenario', 'aria-label': 'Scenario' });
  const freshBox = h('input', { type: 'checkbox', testid: 'qa-scenario-fresh', id: 'qa-scenario-fresh' });
  const runScenario = h('button', { type: 'button', testid: 'qa-scenario-run' }, 'Set up');
  const scenarioResult = h('p', { class: 'muted', testid: 'qa-scenario-result', role: 'status' });
  runScenario.addEventListener('click', () =>
    void act(runScenario, 'Setting up…', error, async () => {
      const done = await backend.qaScenario(scenario.value, freshBox.checked);
      const who = done.password ? ` Account: ${done.account}, password: ${done.password}.` : ` Account: ${done.account}.`;
      scenarioResult.textContent = `${done.summary}${who}`;
      await refresh();
    }),
  );

  const inbox = h('button', { type: 'button', class: 'link', testid: 'qa-inbox-open' }, 'Open the QA inbox in the browser');
  inbox.addEventListener('click', () => void act(inbox, 'Opening…', error, backend.openQaInbox));

  const drawer = h(
    'aside',
    { id: 'qa-drawer', class: 'qa-drawer', testid: 'qa-drawer', 'aria-label': 'QA drawer', hidden: true },
    h('div', { class: 'row' }, h('h2', {}, 'QA drawer'), close),
    error,
    h('h3', {}, 'Scenarios'),
    h('p', { class: 'muted' }, 'Set up a case of the verification-code guide in one step, for the account at hand or a fresh one.'),
    scenario,
    h('label', { for: freshBox.id, class: 'check' }, freshBox, ' For a fresh account'),
    runScenario,
    scenarioResult,
    h('h3', {}, 'Messages'),
    addresses,
    messages,
    h('h3', {}, 'Cloud clock'),
    h('p', {}, 'Now: ', now),
    h('div', { class: 'row wrap' }, clockButton('qa-clock-1m', '+1 minute', 60), clockButton('qa-clock-10m', '+10 minutes', 600), clockButton('qa-clock-1h', '+1 hour', 3600)),
    h('h3', {}, 'Delivery faults'),
    ...faultForms.map((f) => f.box),
    clear,
    h('h3', {}, 'Inbox'),
    h('p', { class: 'muted' }, inbox, inboxUrl ? h('br') : null, inboxUrl ? h('code', { testid: 'qa-inbox-link' }, inboxUrl) : null),
  );

  const show = (v: QaView) => {
    clock.sync(v.cloudNow);
    now.textContent = new Date(v.cloudNow * 1000).toLocaleString();
    addresses.textContent = v.addresses.length ? `For ${v.addresses.join(' and ')}` : 'Every message (no account yet)';
    messages.replaceChildren(...v.messages.map((m) => message(m, v.cloudNow)));
    if (v.messages.length === 0) messages.append(h('li', { class: 'muted' }, 'Nothing sent yet.'));
    showFaults(v.faults);
    if (scenario.options.length === 0) {
      scenario.replaceChildren(...v.scenarios.map((sc) => h('option', { value: sc.name }, sc.title)));
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
      showError(error, (e as AppError).message);
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
    }
  });
  return { button, drawer };
}
