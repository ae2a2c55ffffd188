// The password rules, ticked off live while a new password is typed. The checks
// come from Rust (hik_proto's policy, the one the cloud's rules are written in).
import { backend, type PasswordFeedback } from './backend';
import { h } from './dom';
import { t, tn } from './i18n';

/** The rules as a list under `input`; `testid` names the list (items: `-length`, `-classes`). */
export function passwordRules(input: HTMLInputElement, testid: string): HTMLElement {
  const length = h('li', { testid: `${testid}-length` }, t('password.length', { min: 8, max: 64 }));
  const kinds = {
    lower: h('span', { class: 'kind' }, t('password.lower')),
    upper: h('span', { class: 'kind' }, t('password.upper')),
    digit: h('span', { class: 'kind' }, t('password.digit')),
    symbol: h('span', { class: 'kind' }, t('password.symbol')),
  };
  const classes = h('li', { testid: `${testid}-classes` }, ...tn('password.classes', kinds));
  // Not a rule ticked off here (the cloud checks it), so not in the list of
  // ticks: a grey circle among them would read as unmet.
  const common = h('p', { class: 'hint rules-note', testid: `${testid}-common` }, t('password.common'));
  const list = h('ul', { class: 'rules', testid, id: `${testid}-list`, 'aria-live': 'polite' }, length, classes);
  input.setAttribute('aria-describedby', list.id);

  const mark = (el: HTMLElement, ok: boolean) => {
    el.dataset.ok = String(ok);
    el.setAttribute('aria-label', t(ok ? 'password.met' : 'password.notMet', { rule: el.textContent ?? '' }));
  };
  let asked = 0;
  const update = async () => {
    const mine = ++asked;
    let c: PasswordFeedback;
    try {
      c = await backend.checkPassword(input.value);
    } catch {
      return;
    }
    if (mine !== asked) return; // a newer keystroke already answered
    mark(length, c.longEnough && c.shortEnough);
    mark(classes, c.enoughClasses);
    for (const [k, el] of Object.entries(kinds)) el.dataset.ok = String(c[k as keyof typeof kinds]);
    list.dataset.ok = String(c.passes);
  };
  input.addEventListener('input', () => void update());
  void update();
  return h('div', { class: 'rules-box' }, list, common);
}
