// Start-up and navigation: shows a neutral start screen at once, takes
// start-up's answer (status, a resumed session, QA), then the screen it leads
// to (home for a resumed session, else login), and swaps screens. Banners and
// the footer say where the cloud is.
import { backend, type Startup, type Status } from './backend';
import { CloudClock } from './clock';
import { cloudDown, cloudUp, onSessionEnded } from './connectivity';
import { cloudAway, h } from './dom';
import { describe, type AppError } from './errors';
import { qaDrawer } from './qa-drawer';
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
let leaving: (() => void)[] = [];

/** Leave the current screen (stopping its timers), then build and show the next. */
function show(build: () => HTMLElement, name: string): void {
  for (const dispose of leaving) dispose();
  leaving = [];
  // A retry offered by the screen being left would act on a screen that is gone.
  cloudUp();
  app.replaceChildren(build());
  app.dataset.screen = name;
  // The screens shown since start, oldest first: a suite checks what a
  // person saw, such as no login form before a resumed session's home.
  app.dataset.history = [...(app.dataset.history ?? '').split(' ').filter(Boolean), name].slice(-50).join(' ');
}

/** What the window shows until start-up has answered: the app's name and
 * that it is starting, never a form that would vanish a moment later. */
function startingScreen(): HTMLElement {
  return h(
    'section',
    { class: 'card starting', testid: 'starting' },
    h('h1', {}, 'Hik-Connect Simulator'),
    h('p', { class: 'muted', role: 'status' }, 'Starting…'),
  );
}

function renderChrome(status: Status): void {
  banners.querySelector('[data-testid="keyring-banner"]')?.remove();
  if (!status.terminalRemembered) {
    banners.append(
      h(
        'div',
        { class: 'banner warn', role: 'alert', testid: 'keyring-banner' },
        h('strong', {}, 'This computer cannot be remembered. '),
        'The system keyring is unavailable, so you will be asked for a verification code at each login. Logging in still works. ',
        h('small', {}, status.keyringProblem ?? ''),
      ),
    );
  }
  footer.replaceChildren(
    h('span', {}, 'Cloud: ', h('code', { testid: 'cloud-url' }, status.cloudUrl)),
    status.qaInboxUrl ? h('span', {}, 'QA inbox: ', h('code', { testid: 'qa-inbox-url' }, status.qaInboxUrl)) : '',
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

/** Resolves after the next frame has been painted. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Start-up failed (data folder, database, embedded cloud): say so plainly. */
function startFailed(err: AppError): void {
  banners.prepend(h('div', { class: 'banner error-banner', role: 'alert', testid: 'start-error' }, describe(err)));
}

/** The start screen shows at once; start-up (cloud, database, keyring)
 * answers in one round trip, then the chrome, the QA drawer, and home for a
 * resumed session or else the login form follow. `#app[data-started]` marks
 * that moment for test suites. */
async function start(): Promise<void> {
  const clock = new CloudClock();
  // Start-up begins with this call: once the start screen below has been
  // painted, so the two do not compete for the processor.
  const started = afterPaint().then(() => backend.start());
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
  onSessionEnded(() => nav.login('Your session has ended. Log in again.'));
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
  if (startup.qa) {
    const qa = qaDrawer(clock, startup.status.qaInboxUrl);
    document.querySelector('.topbar')?.append(qa.button);
    document.body.append(qa.drawer);
  }
  const resumed = startup.home;
  if (resumed) show(() => homeScreen(nav, resumed), 'home');
  else {
    show(() => loginScreen(nav), 'login');
    if (startup.resumeError && cloudAway(startup.resumeError)) {
      cloudDown(describe(startup.resumeError), async () => {
        const home = await backend.resume();
        cloudUp();
        if (home) nav.home(home);
      });
    }
  }
  app.dataset.started = 'true';
}

start().catch((e) => {
  app.replaceChildren(h('p', { class: 'error', role: 'alert', testid: 'error-message' }, describe(e as AppError)));
});
