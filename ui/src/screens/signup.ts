// Sign up in two steps. First the region (for good: said plainly) and an email
// address or a phone number (with the region's dialling code); then the code
// sent there, and a password with its rules ticked off live.
import { backend, type Area, type Sent } from '../backend';
import { errorLine, field, h, onSubmit, showError } from '../dom';
import { describe, type AppError } from '../errors';
import { ltr, t } from '../i18n';
import { regionName } from '../i18n/format';
import { passwordRules } from '../password-rules';
import { card, navLink, screenCodeEntry, type Nav } from './nav';

export function signUpScreen(nav: Nav): HTMLElement {
  let areas: Area[] = [];
  const region = h('select', { testid: 'signup-region', required: true });
  const warning = h(
    'p',
    { class: 'warning', testid: 'signup-region-warning' },
    t('signup.regionWarning'),
  );
  const byEmail = h('input', { type: 'radio', name: 'method', value: 'email', testid: 'signup-method-email', checked: true, id: 'm-email' });
  const byPhone = h('input', { type: 'radio', name: 'method', value: 'phone', testid: 'signup-method-phone', id: 'm-phone' });
  const method = h(
    'fieldset',
    { class: 'method' },
    h('legend', {}, t('signup.with')),
    h('label', { for: 'm-email' }, byEmail, ' ', t('signup.email')),
    h('label', { for: 'm-phone' }, byPhone, ' ', t('signup.phone')),
  );
  const email = h('input', { testid: 'signup-email', type: 'email', autocomplete: 'email', placeholder: t('signup.emailPlaceholder'), dir: 'ltr' });
  const dial = h('span', { class: 'dial', testid: 'signup-dial-code', dir: 'ltr' }, '+');
  const phone = h('input', { testid: 'signup-phone', type: 'tel', autocomplete: 'tel-national', placeholder: t('signup.phonePlaceholder'), dir: 'ltr' });
  const emailField = field(t('signup.email'), email);
  const phoneField = h('div', { class: 'field', hidden: true }, h('label', { for: 'f-phone' }, t('signup.phone')), h('div', { class: 'phone-row', dir: 'ltr' }, dial, phone));
  phone.id = 'f-phone';
  const sendBtn = h('button', { class: 'primary', type: 'submit', testid: 'signup-send-code' }, t('code.send'));
  const error = errorLine();

  const usePhone = () => byPhone.checked;
  const showMethod = () => {
    emailField.hidden = usePhone();
    phoneField.hidden = !usePhone();
    (usePhone() ? phone : email).focus();
  };
  byEmail.addEventListener('change', showMethod);
  byPhone.addEventListener('change', showMethod);
  const showDial = () => {
    const a = areas.find((x) => String(x.id) === region.value);
    dial.textContent = a ? `+${a.telephoneCode}` : '+';
  };
  region.addEventListener('change', showDial);

  void backend.listAreas().then(
    (list) => {
      areas = list;
      region.replaceChildren(
        ...list.map((a) =>
          h('option', { value: String(a.id), selected: a.id === nav.status.lastArea }, t('signup.regionOption', { name: regionName(a.code, a.name), dial: ltr(`+${a.telephoneCode}`) })),
        ),
      );
      showDial();
    },
    (e) => showError(error, describe(e as AppError)),
  );

  const details = h(
    'form',
    { class: 'stack', novalidate: true },
    field(t('signup.region'), region),
    warning,
    method,
    emailField,
    phoneField,
    error,
    sendBtn,
  );
  const step2 = h('div', { hidden: true });
  const account = () => (usePhone() ? phone.value : email.value);

  const toCode = (sent: Sent) => {
    const area = Number(region.value);
    const who = account();
    const password = h('input', { testid: 'signup-password', type: 'password', autocomplete: 'new-password' });
    const rules = passwordRules(password, 'signup-password-rules');
    const entry = screenCodeEntry(nav, {
      prefix: 'signup',
      contact: sent.contact,
      initial: sent,
      // In full, as typed: a typo in it must be plain to see.
      address: usePhone() ? `${dial.textContent ?? ''} ${who}`.trim() : who.trim(),
      send: () => backend.requestSignUpCode(area, who),
      submit: async (code) => nav.home(await backend.signUp(area, who, code, password.value)),
      submitLabel: t('signup.submit'),
      extra: [field(t('login.password'), password), rules],
    });
    nav.onLeave(entry.dispose);
    const back = navLink('signup-change', t('signup.change'), () => {
      entry.dispose();
      step2.hidden = true;
      details.hidden = false;
      step2.replaceChildren();
    });
    step2.replaceChildren(entry.element, h('p', { class: 'alt' }, back));
    details.hidden = true;
    step2.hidden = false;
  };
  onSubmit(details, sendBtn, t('code.sending'), error, async () => {
    toCode(await backend.requestSignUpCode(Number(region.value), account()));
  });

  queueMicrotask(() => email.focus());
  return card(
    t('signup.title'),
    details,
    step2,
    h('p', { class: 'alt' }, t('signup.haveAccount'), ' ', navLink('nav-login', t('login.submit'), () => nav.login())),
  );
}
