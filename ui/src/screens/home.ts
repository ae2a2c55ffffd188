// Home after login: who is signed in, whether this computer is trusted, and the
// account's devices. A device opens its cameras (channels). When the cloud
// cannot be reached, the list saved on the last visit is shown, marked so.
import { backend, type CameraList, type Device, type DeviceList, type Home } from '../backend';
import { when } from '../clock';
import { act, busy, errorLine, h } from '../dom';
import { wideCard, type Nav } from './nav';

const KINDS: Record<string, string> = {
  IPC: 'IP camera',
  NVR: 'Network video recorder',
  DVR: 'Digital video recorder',
};

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function age(fetchedAt: number, now = Date.now() / 1000): string {
  const s = Math.max(0, Math.round(now - fetchedAt));
  const say = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (s < 60) return 'just now';
  if (s < 3600) return say(Math.floor(s / 60), 'minute');
  if (s < 86400) return say(Math.floor(s / 3600), 'hour');
  return say(Math.floor(s / 86400), 'day');
}


export function homeScreen(nav: Nav, home: Home): HTMLElement {
  const logout = h('button', { type: 'button', testid: 'nav-logout' }, 'Log out');
  logout.addEventListener('click', async () => {
    await busy(logout, 'Logging out…', backend.logout).catch(() => undefined);
    nav.login('You have logged out.');
  });
  const who = home.email ?? home.phone ?? home.username;

  const refresh = h('button', { type: 'button', testid: 'devices-refresh' }, 'Refresh');
  const updated = h('span', { class: 'muted', testid: 'devices-updated', role: 'status' });
  const saved = h('p', { class: 'saved', testid: 'devices-saved', role: 'status', hidden: true });
  const list = h('ul', { class: 'devices', testid: 'device-list', 'aria-label': 'Devices' });
  const error = errorLine();
  const cameras = h('section', { class: 'cameras', testid: 'device-cameras', hidden: true, 'aria-live': 'polite' });
  let last: DeviceList | null = null;

  const showList = (l: DeviceList) => {
    last = l;
    updated.textContent = `Updated ${when(l.fetchedAt, Date.now() / 1000)}`;
    saved.hidden = !l.saved;
    saved.textContent = l.saved
      ? `Saved list from ${age(l.fetchedAt)}: the cloud did not send a new one, so this may be out of date.`
      : '';
    list.replaceChildren(
      ...l.devices.map((d) =>
        h('li', { class: 'device', testid: 'device-row', 'data-serial': d.serial }, deviceButton(d, () => void open(d))),
      ),
    );
    if (l.devices.length === 0) list.append(h('li', { class: 'muted' }, 'No devices on this account yet.'));
  };
  const showCameras = (d: Device, c: CameraList) => {
    const close = h('button', {
      type: 'button',
      class: 'link',
      testid: 'cameras-close',
      onclick: () => {
        cameras.hidden = true;
        for (const b of list.querySelectorAll<HTMLButtonElement>('button.device-open')) b.setAttribute('aria-expanded', 'false');
      },
    }, 'Close');
    cameras.replaceChildren(
      h('div', { class: 'row' }, h('h2', { testid: 'cameras-title' }, `${d.name}: ${c.cameras.length} ${d.category === 'IPC' ? 'camera' : 'channels'}`), close),
      c.saved ? h('p', { class: 'saved', testid: 'cameras-saved' }, `Saved from ${age(c.fetchedAt)}: the cloud did not send a new list.`) : '',
      h(
        'ul',
        { class: 'camera-list' },
        ...c.cameras.map((cam) =>
          h(
            'li',
            { testid: 'camera-row' },
            h('span', { class: 'channel', testid: 'camera-channel' }, `CH ${cam.channel}`),
            h('span', { testid: 'camera-name' }, cam.name),
            h('span', { class: cam.signal ? 'ok' : 'bad', testid: 'camera-signal' }, cam.signal ? 'Video signal' : 'No signal'),
          ),
        ),
      ),
    );
    cameras.hidden = false;
  };
  const open = async (d: Device) => {
    const btn = list.querySelector<HTMLButtonElement>(`[data-serial="${d.serial}"] button`);
    if (!btn) return;
    const opened = await act(btn, `Opening ${d.name}…`, error, async () => showCameras(d, await backend.deviceCameras(d.serial)));
    for (const b of list.querySelectorAll<HTMLButtonElement>('button.device-open')) b.setAttribute('aria-expanded', 'false');
    if (opened) btn.setAttribute('aria-expanded', 'true');
  };
  const load = () => act(refresh, 'Refreshing…', error, async () => showList(await backend.listDevices()));
  refresh.addEventListener('click', () => void load());
  // Keep "updated …" and "saved … ago" true while the screen stays open.
  const ticker = window.setInterval(() => {
    if (!last) return;
    updated.textContent = `Updated ${when(last.fetchedAt, Date.now() / 1000)}`;
    if (last.saved) showList(last);
  }, 30_000);
  nav.onLeave(() => window.clearInterval(ticker));
  void load();

  return wideCard(
    'Welcome',
    h('p', {}, 'Signed in as ', h('strong', { testid: 'home-user' }, who)),
    h(
      'p',
      { class: 'muted', testid: 'home-terminal' },
      nav.status.terminalRemembered
        ? 'This computer is trusted: you will not be asked for a code when you log in here.'
        : 'This computer cannot be remembered, so a code will be asked at each login.',
    ),
    h('div', { class: 'row' }, h('h2', {}, 'Devices'), h('div', { class: 'row' }, updated, refresh)),
    saved,
    error,
    list,
    cameras,
    h('div', { class: 'row actions' }, h('button', { type: 'button', testid: 'nav-settings', onclick: () => nav.settings(home) }, 'Account security'), logout),
  );
}

function deviceButton(d: Device, onOpen: () => void): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: 'device-open', testid: 'device-open', onclick: onOpen, 'aria-label': `${d.name}, ${KINDS[d.category] ?? d.category}, ${d.online ? 'online' : 'offline'}: show cameras` },
    h('span', { class: `dot ${d.online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
    h(
      'span',
      { class: 'device-text' },
      h('strong', { testid: 'device-name' }, d.name),
      h('small', { class: 'muted' }, h('span', { testid: 'device-type' }, KINDS[d.category] ?? d.category), ' · ', d.model, ' · ', h('span', { testid: 'device-serial' }, d.serial)),
    ),
    h('span', { class: `status ${d.online ? 'on' : 'off'}`, testid: 'device-status' }, d.online ? 'Online' : 'Offline'),
    // A sign that the row opens.
    h('span', { class: 'chevron', 'aria-hidden': 'true' }, '›'),
  );
}
