// Start-up and navigation: reads the app's status, resumes a kept session, and
// swaps screens. Banners and the footer say where the cloud is.
import { backend, type Status } from './backend';
import { CloudClock } from './clock';
import { cloudDown, cloudUp, onSessionEnded } from './connectivity';
import { h } from './dom';
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

async function start(): Promise<void> {
  const status = await backend.appStatus();
  const clock = new CloudClock();
  renderChrome(status);
  // The QA drawer, when the cloud serves the QA surface (always when embedded).
  void backend.qaAvailable().then((yes) => {
    if (!yes) return;
    const qa = qaDrawer(clock, status.qaInboxUrl);
    document.querySelector('.topbar')?.append(qa.button);
    document.body.append(qa.drawer);
  });
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
    status,
    clock,
    login: (notice) => refreshed(() => show(() => loginScreen(nav, notice), 'login')),
    signUp: () => show(() => signUpScreen(nav), 'signup'),
    forgot: (account) => show(() => forgotScreen(nav, account), 'forgot'),
    verify: (contact) => show(() => verifyScreen(nav, contact), 'verify'),
    terminals: (limits, list) => show(() => terminalsScreen(nav, limits, list), 'terminals'),
    home: (home) => refreshed(() => show(() => homeScreen(nav, home), 'home')),
    settings: (home) => show(() => settingsScreen(nav, home), 'settings'),
    afterLogin: (outcome) => {
      if (outcome.outcome === 'loggedIn') nav.home(outcome.home);
      else if (outcome.outcome === 'needsTerminalCode') nav.verify(outcome.contact);
      else nav.terminals(outcome.limits, outcome.terminals);
    },
    onLeave: (dispose) => leaving.push(dispose),
  };
  onSessionEnded(() => nav.login('Your session has ended. Log in again.'));
  if (status.home) return nav.home(status.home);
  try {
    const home = await backend.resume();
    if (home) return nav.home(home);
    show(() => loginScreen(nav), 'login');
  } catch (e) {
    const err = e as AppError;
    show(() => loginScreen(nav), 'login');
    if (err.code === 'unreachable') {
      cloudDown(describe(err), async () => {
        const home = await backend.resume();
        cloudUp();
        if (home) nav.home(home);
      });
    }
  }
}

start().catch((e) => {
  app.replaceChildren(h('p', { class: 'error', role: 'alert', testid: 'error-message' }, describe(e as AppError)));
});
