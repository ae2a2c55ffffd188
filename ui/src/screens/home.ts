// Home after login: who is signed in, whether this computer is trusted.
import { backend, type Home } from '../backend';
import { busy, h } from '../dom';
import { card, type Nav } from './nav';

export function homeScreen(nav: Nav, home: Home): HTMLElement {
  const logout = h('button', { type: 'button', testid: 'nav-logout' }, 'Log out');
  logout.addEventListener('click', async () => {
    await busy(logout, 'Logging out…', backend.logout).catch(() => undefined);
    nav.login('You have logged out.');
  });
  const who = home.email ?? home.phone ?? home.username;
  return card(
    'Welcome',
    h('p', {}, 'Signed in as ', h('strong', { testid: 'home-user' }, who)),
    h(
      'p',
      { class: 'muted', testid: 'home-terminal' },
      nav.status.terminalRemembered
        ? 'This computer is trusted: you will not be asked for a code when you log in here.'
        : 'This computer cannot be remembered, so a code will be asked at each login.',
    ),
    logout,
  );
}
