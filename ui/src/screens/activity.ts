// Account security's "Recent security activity": the account's latest events
// from the cloud's audit trail, each with its time, terminal and address, and
// this computer's marked.
import type { Activity } from '../backend';
import { h } from '../dom';
import { t, type MessageKey } from '../i18n';
import { dateTime, when } from '../i18n/format';

/** Each event of the audit trail in words: what happened, and how it went. */
const EVENTS: Record<string, { ok: MessageKey; refused?: MessageKey }> = {
  sign_in: { ok: 'activity.signIn', refused: 'activity.signInRefused' },
  captcha_required: { ok: 'activity.captchaRequired' },
  account_locked: { ok: 'activity.locked' },
  account_unlocked: { ok: 'activity.unlocked' },
  code_sent: { ok: 'activity.codeSent' },
  code_wrong: { ok: 'activity.codeWrong' },
  code_burned: { ok: 'activity.codeBurned' },
  terminal_bound: { ok: 'activity.terminalBound' },
  terminal_removed: { ok: 'activity.terminalRemoved' },
  password_changed: { ok: 'activity.passwordChanged' },
  password_reset: { ok: 'activity.passwordReset' },
  email_changed: { ok: 'activity.emailChanged' },
  phone_changed: { ok: 'activity.phoneChanged' },
  two_step_switched: { ok: 'activity.twoStepOff' },
  contact_tested: { ok: 'activity.contactTested' },
  refresh_token_reused: { ok: 'activity.tokenReused' },
  token_family_revoked: { ok: 'activity.tokenRevoked' },
  account_deleted: { ok: 'activity.accountDeleted' },
};

/** What happened, in words (an event this app does not know: its name). */
export function describeActivity(a: Activity): string {
  const known = EVENTS[a.event];
  if (a.event === 'two_step_switched') return t(a.outcome === 'on' ? 'activity.twoStepOn' : 'activity.twoStepOff');
  if (!known) return t('activity.other', { event: a.event });
  if (a.event === 'sign_in' && a.outcome === 'held') return t('activity.signInHeld');
  return t(a.outcome === 'refused' && known.refused ? known.refused : known.ok);
}

/** Whether the event is one to look at twice. */
function alarming(a: Activity): boolean {
  return a.outcome === 'refused' || ['account_locked', 'code_burned', 'refresh_token_reused', 'token_family_revoked'].includes(a.event);
}

export function activitySection(list: Activity[], now: number): HTMLElement {
  const row = (a: Activity) =>
    h(
      'li',
      { class: `activity${alarming(a) ? ' alarming' : ''}`, testid: 'activity-row', 'data-event': a.event, 'data-outcome': a.outcome },
      h(
        'div',
        { class: 'activity-what' },
        h('strong', { testid: 'activity-event' }, describeActivity(a)),
        a.current ? h('span', { class: 'badge-this', testid: 'activity-this' }, t('terminal.this')) : null,
      ),
      h(
        'small',
        { class: 'muted', testid: 'activity-where' },
        h('time', { datetime: new Date(a.at * 1000).toISOString(), title: dateTime(a.at) }, when(a.at, now)),
        a.terminal ? ' · ' : '',
        a.terminal ? h('bdi', { translate: 'no' }, a.terminal) : '',
        ' · ',
        h('bdi', { dir: 'ltr' }, a.ip),
      ),
    );
  return h(
    'section',
    { class: 'settings-section', testid: 'settings-activity', 'aria-label': t('activity.title') },
    h('h2', {}, t('activity.title')),
    h('p', { class: 'muted' }, t('activity.intro')),
    list.length
      ? h('ol', { class: 'activity-list', testid: 'activity-list' }, ...list.map(row))
      : h('p', { class: 'muted', testid: 'activity-empty' }, t('activity.empty')),
  );
}
