// Account security's "Recent security activity": the account's latest events
// from the cloud's audit trail, each with its time, terminal and address, and
// this computer's marked.
import type { Activity } from '../backend';
import { dateTime, when } from '../clock';
import { h } from '../dom';

/** Each event of the audit trail in words: what happened, and how it went. */
const EVENTS: Record<string, { ok: string; refused?: string }> = {
  sign_in: { ok: 'Signed in', refused: 'Sign-in refused' },
  captcha_required: { ok: 'Captcha required after wrong passwords' },
  account_locked: { ok: 'Locked after too many wrong passwords' },
  account_unlocked: { ok: 'Unlocked' },
  code_sent: { ok: 'Verification code sent' },
  code_wrong: { ok: 'Wrong verification code entered' },
  code_burned: { ok: 'Verification code used up by wrong entries' },
  terminal_bound: { ok: 'New terminal trusted' },
  terminal_removed: { ok: 'Terminal removed' },
  password_changed: { ok: 'Password changed' },
  password_reset: { ok: 'Password reset' },
  email_changed: { ok: 'Email changed' },
  phone_changed: { ok: 'Phone number changed' },
  two_step_switched: { ok: 'Two-step verification switched' },
  contact_tested: { ok: 'Address checked with a test code' },
  refresh_token_reused: { ok: 'An old sign-in token was used again' },
  token_family_revoked: { ok: 'Signed out everywhere that token was used' },
  account_deleted: { ok: 'Account deleted' },
};

/** What happened, in words. */
export function describeActivity(a: Activity): string {
  const known = EVENTS[a.event];
  if (a.event === 'two_step_switched') return `Two-step verification turned ${a.outcome === 'on' ? 'on' : 'off'}`;
  if (!known) return a.event.replace(/_/g, ' ');
  if (a.event === 'sign_in' && a.outcome === 'held') return 'Sign-in waiting for a verification code';
  return a.outcome === 'refused' && known.refused ? known.refused : known.ok;
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
        a.current ? h('span', { class: 'badge-this', testid: 'activity-this' }, 'This computer') : null,
      ),
      h(
        'small',
        { class: 'muted', testid: 'activity-where' },
        h('time', { datetime: new Date(a.at * 1000).toISOString(), title: dateTime(a.at) }, when(a.at, now)),
        a.terminal ? ` · ${a.terminal}` : '',
        ` · ${a.ip}`,
        a.detail ? ` · ${a.detail}` : '',
      ),
    );
  return h(
    'section',
    { class: 'settings-section', testid: 'settings-activity', 'aria-label': 'Recent security activity' },
    h('h2', {}, 'Recent security activity'),
    h('p', { class: 'muted' }, 'The latest sign-ins, codes and changes on your account. Something you do not recognise? Change your password and remove the terminal.'),
    list.length
      ? h('ol', { class: 'activity-list', testid: 'activity-list' }, ...list.map(row))
      : h('p', { class: 'muted', testid: 'activity-empty' }, 'Nothing yet.'),
  );
}
