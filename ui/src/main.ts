// Start-up and navigation: shows a neutral start screen at once, in the
// language Rust chose (handed over before the first paint), takes start-up's
// answer (status, a resumed session, QA), then the screen it leads to (home
// for a resumed session, else login), and swaps screens. Banners and the
// footer say where the cloud is; the language picker redraws everything.
import { backend, type Startup, type Status } from './backend';
import { CloudClock } from './clock';
import { cloudDown, cloudUp, onSessionEnded } from './connectivity';
import { cloudAway, focusHeading, h, withFlags } from './dom';
import { describe, type AppError } from './errors';
import { isPseudo, LANGUAGES, languageName, setLanguage, t, type Language } from './i18n';
import { qaDrawer, type QaDrawer } from './qa-drawer';
import { forgotScreen } from './screens/forgot';
import { homeScreen } from './screens/home';
import { loginScreen } from './screens/login';
import type { Nav } from './screens/nav';
import { settingsScreen } from './screens/settings';
import { signUpScreen } from './screens/signup';
import { terminalsScreen, verifyScreen } from './screens/verify';

const app = document.getElementById('app') as HTMLElement;
const banners = document.getElementById('banners') as HTMLElement;
const footer = document.getElementById('footer') as HTMLElement;
const topbar = document.querySelector('.topbar') as HTMLElement;
let leaving: (() => void)[] = [];
/** The screen on show, to draw again in another language. */
let current: { build: () => HTMLElement; name: string } | null = null;

/** Leave the current screen (stopping its timers), then build and show the next. */
function show(build: () => HTMLElement, name: string): void {
  for (const dispose of leaving) dispose();
  leaving = [];
  // A retry offered by the screen being left would act on a screen that is gone.
  cloudUp();
  current = { build, name };
  app.replaceChildren(build());
  app.dataset.screen = name;
  focusScreen();
  // The screens shown since start, oldest first: a suite checks what a
  // person saw, such as no login form before a resumed session's home.
  app.dataset.history = [...(app.dataset.history ?? '').split(' ').filter(Boolean), name].slice(-50).join(' ');
}

/** A new screen takes the keyboard focus: its first field when the screen
 * chose one (it does so as it is built), else its heading, so that a
 * screen reader starts reading there and Tab goes on from there. Focus
 * elsewhere (the QA drawer, a banner) stays where it is. */
function focusScreen(): void {
  queueMicrotask(() => {
    const at = document.activeElement;
    if (at && at !== document.body && at.isConnected) return;
    const heading = app.querySelector<HTMLElement>('h1');
    if (heading) focusHeading(heading);
  });
}

/** What the window shows until start-up has answered: the app's name and
 * that it is starting, never a form that would vanish a moment later. */
function startingScreen(): HTMLElement {
  return h(
    'section',
    { class: 'card starting', testid: 'starting' },
    h('h1', {}, t('app.title')),
    h('p', { class: 'muted', role: 'status' }, t('app.starting')),
  );
}

/** The badge and the language picker, reachable before login. */
function renderTopbar(onPick: (lang: Language) => Promise<void>): void {
  topbar.querySelector('[data-testid="sim-badge"]')?.remove();
  topbar.querySelector('.language')?.remove();
  const badge = h('span', { class: 'badge', testid: 'sim-badge', title: t('app.badgeTitle') }, t('app.badge'));
  const picker = h(
    'select',
    { testid: 'language-picker', 'aria-label': t('app.language') },
    ...LANGUAGES.map((l) => h('option', { value: l, lang: isPseudo(l) ? 'en' : l, selected: l === document.documentElement.lang }, languageName(l))),
  );
  picker.addEventListener('change', () => void onPick(picker.value as Language));
  topbar.querySelector('.brand')?.after(badge);
  topbar.append(h('label', { class: 'language' }, picker));
}

function renderChrome(status: Status): void {
  banners.querySelector('[data-testid="keyring-banner"]')?.remove();
  if (!status.terminalRemembered) {
    banners.append(
      h(
        'div',
        { class: 'banner warn', role: 'alert', testid: 'keyring-banner' },
        h('strong', {}, t('keyring.title')),
        ' ',
        t('keyring.text'),
      ),
    );
  }
  footer.replaceChildren(
    h('span', {}, t('footer.cloud'), ' ', h('code', { testid: 'cloud-url', dir: 'ltr' }, status.cloudUrl)),
    status.qaInboxUrl ? h('span', {}, t('footer.inbox'), ' ', h('code', { testid: 'qa-inbox-url', dir: 'ltr' }, status.qaInboxUrl)) : '',
  );
}

/** What the window knows before start-up has answered: nothing yet. */
const starting: Status = {
  cloudUrl: '',
  qaInboxUrl: null,
  terminalRemembered: true,
  keyringProblem: null,
  lastAccount: null,
  lastArea: null,
  home: null,
  pendingContact: null,
};

/** Start-up failed (data folder, database, embedded cloud): say so plainly. */
function startFailed(err: AppError): void {
  // One span: the banner is a flex row, and its flag must stay in the sentence.
  banners.prepend(h('div', { class: 'banner error-banner', role: 'alert', testid: 'start-error' }, h('span', {}, ...withFlags(describe(err)))));
}

/** The start screen shows at once; start-up (cloud, database, keyring)
 * answers in one round trip, then the chrome, the QA drawer, and home for a
 * resumed session or else the login form follow. `#app[data-started]` marks
 * that moment for test suites. */
async function start(): Promise<void> {
  // Start-up (in Rust) runs while the page loads its words and paints the
  // start screen: measured 50 ms sooner to the login form than starting after
  // that paint (docs/benchmarks.md).
  const started = backend.start();
  // The language Rust chose (flag, saved choice, OS), loaded before any word is drawn.
  await setLanguage((window as { __HIK_LANGUAGE__?: Language }).__HIK_LANGUAGE__ ?? 'en');
  const clock = new CloudClock();
  /** Re-read the status (the region may have moved after a 1100), then show. */
  const refreshed = (then: () => void) =>
    void backend.appStatus().then(
      (s) => {
        nav.status = s;
        renderChrome(s);
        then();
      },
      () => then(),
    );
  const nav: Nav = {
    status: starting,
    started,
    clock,
    login: (notice) => refreshed(() => show(() => loginScreen(nav, notice), 'login')),
    signUp: () => show(() => signUpScreen(nav), 'signup'),
    forgot: (account) => show(() => forgotScreen(nav, account), 'forgot'),
    verify: (contact, choice) => show(() => verifyScreen(nav, contact, choice), 'verify'),
    terminals: (limits, list, choice) => show(() => terminalsScreen(nav, limits, list, choice), 'terminals'),
    home: (home) => refreshed(() => show(() => homeScreen(nav, home), 'home')),
    settings: (home) => show(() => settingsScreen(nav, home), 'settings'),
    afterLogin: (outcome) => {
      if (outcome.outcome === 'loggedIn') nav.home(outcome.home);
      else if (outcome.outcome === 'needsTerminalCode') nav.verify(outcome.contact, outcome);
      else nav.terminals(outcome.limits, outcome.terminals, outcome);
    },
    onLeave: (dispose) => leaving.push(dispose),
  };
  onSessionEnded(() => nav.login('notice.sessionEnded'));
  let drawer: QaDrawer | null = null;
  let qaOn = false;
  const putDrawer = () => {
    drawer?.button.remove();
    drawer?.drawer.remove();
    drawer = qaOn ? qaDrawer(clock, nav.status.qaInboxUrl) : null;
    if (drawer) {
      topbar.append(drawer.button);
      document.body.append(drawer.drawer);
    }
  };
  /** Another language, chosen in the app: saved (Rust), then everything
   * drawn again in it, the values typed into the screen kept. */
  const pick = async (lang: Language) => {
    void backend.setLanguage(lang).catch((e) => startFailed(e as AppError));
    await setLanguage(lang);
    document.title = t('app.title');
    renderTopbar(pick);
    if (nav.status !== starting) renderChrome(nav.status);
    putDrawer();
    if (current) redraw(current);
  };
  document.title = t('app.title');
  renderTopbar(pick);
  show(startingScreen, 'starting');

  let startup: Startup;
  try {
    startup = await started;
  } catch (e) {
    startFailed(e as AppError);
    show(() => loginScreen(nav), 'login');
    app.dataset.started = 'failed';
    return;
  }
  nav.status = startup.status;
  renderChrome(startup.status);
  // The QA drawer, when the cloud serves the QA surface (always when embedded).
  qaOn = startup.qa;
  putDrawer();
  const resumed = startup.home;
  if (resumed) show(() => homeScreen(nav, resumed), 'home');
  else {
    show(() => loginScreen(nav), 'login');
    if (startup.resumeError && cloudAway(startup.resumeError)) {
      cloudDown(startup.resumeError, async () => {
        const home = await backend.resume();
        cloudUp();
        if (home) nav.home(home);
      });
    }
  }
  app.dataset.started = 'true';
}

/** Draw `screen` again (in a new language): what was typed into its fields
 * and which of its boxes were ticked come back, field by field. */
function redraw(screen: { build: () => HTMLElement; name: string }): void {
  const typed = new Map<string, { value: string; checked: boolean }>();
  for (const el of app.querySelectorAll<HTMLInputElement>('input[data-testid], select[data-testid]')) {
    typed.set(el.dataset.testid ?? '', { value: el.value, checked: el.checked });
  }
  show(screen.build, screen.name);
  for (const el of app.querySelectorAll<HTMLInputElement>('input[data-testid], select[data-testid]')) {
    const was = typed.get(el.dataset.testid ?? '');
    if (!was) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = was.checked;
    else el.value = was.value;
  }
}

start().catch((e) => {
  app.replaceChildren(h('p', { class: 'error', role: 'alert', testid: 'error-message' }, describe(e as AppError)));
});
