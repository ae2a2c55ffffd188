// Start-up and navigation: reads the app's status, resumes a kept session, and
// swaps screens. Banners and the footer say where the cloud is.
import { backend, type Contact, type Home, type Status } from './backend';
import { CloudClock } from './clock';
import { h } from './dom';
import { describe, type AppError } from './errors';
import { homeScreen, loginScreen, signUpScreen, verifyScreen, type Nav } from './screens';

const app = document.getElementById('app') as HTMLElement;
const banners = document.getElementById('banners') as HTMLElement;
const footer = document.getElementById('footer') as HTMLElement;
let leaving: (() => void)[] = [];

/** Leave the current screen (stopping its timers), then build and show the next. */
function show(build: () => HTMLElement, name: string): void {
  for (const dispose of leaving) dispose();
  leaving = [];
  app.replaceChildren(build());
  app.dataset.screen = name;
}

function renderChrome(status: Status): void {
  banners.replaceChildren();
  if (!status.terminalRemembered) {
    banners.append(
      h(
        'div',
        { class: 'banner warn', role: 'alert', testid: 'keyring-banner' },
        h('strong', {}, 'This computer cannot be remembered. '),
        'The system keyring is unavailable, so you will be asked for a verification code at each login. ',
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
  const nav: Nav = {
    status,
    clock,
    login: (message?: string) => {
      void backend.appStatus().then((s) => {
        nav.status = s;
        show(() => loginScreen(nav, message), 'login');
      });
    },
    signUp: () => show(() => signUpScreen(nav), 'signup'),
    verify: (contact: Contact | null) => show(() => verifyScreen(nav, contact), 'verify'),
    home: (home: Home) => show(() => homeScreen(nav, home), 'home'),
    onLeave: (dispose) => leaving.push(dispose),
  };
  if (status.home) return nav.home(status.home);
  try {
    const home = await backend.resume();
    if (home) return nav.home(home);
    show(() => loginScreen(nav), 'login');
  } catch (e) {
    show(() => loginScreen(nav, describe(e as AppError)), 'login');
  }
}

start().catch((e) => {
  app.replaceChildren(h('p', { class: 'error', role: 'alert', testid: 'error-message' }, describe(e as AppError)));
});
