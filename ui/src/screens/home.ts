// Home after login: who is signed in, whether this computer is trusted, and the
// account's devices. A device opens its cameras (channels). When the cloud
// cannot be reached, the list saved on the last visit is shown, marked so.
import { backend, type CameraList, type Device, type DeviceList, type Home } from '../backend';
import { act, announce, busy, errorLine, h } from '../dom';
import { t, tn } from '../i18n';
import { ago, when } from '../i18n/format';
import { wideCard, type Nav } from './nav';

/** A device's kind in words, by its category. */
function kind(category: string): string {
  if (category === 'IPC') return t('device.kind.ipc');
  if (category === 'NVR') return t('device.kind.nvr');
  if (category === 'DVR') return t('device.kind.dvr');
  return category;
}


export function homeScreen(nav: Nav, home: Home): HTMLElement {
  const logout = h('button', { type: 'button', testid: 'nav-logout' }, t('nav.logout'));
  logout.addEventListener('click', async () => {
    await busy(logout, t('nav.loggingOut'), backend.logout).catch(() => undefined);
    nav.login('notice.loggedOut');
  });
  const who = home.email ?? home.phone ?? home.username;

  const refresh = h('button', { type: 'button', testid: 'devices-refresh' }, t('devices.refresh'));
  // Not live regions: their clocks tick every 30 seconds; a saved list is
  // said once when it is shown.
  const updated = h('span', { class: 'muted', testid: 'devices-updated' });
  const saved = h('p', { class: 'saved', testid: 'devices-saved', hidden: true });
  const list = h('ul', { class: 'devices', testid: 'device-list', 'aria-label': t('devices.title') });
  const error = errorLine();
  const cameras = h('section', { class: 'cameras', testid: 'device-cameras', hidden: true });
  let last: DeviceList | null = null;

  const showList = (l: DeviceList) => {
    last = l;
    updated.textContent = t('devices.updated', { when: when(l.fetchedAt, Date.now() / 1000) });
    saved.hidden = !l.saved;
    saved.textContent = l.saved ? t('devices.saved', { ago: ago(l.fetchedAt, Date.now() / 1000) }) : '';
    list.replaceChildren(
      ...l.devices.map((d) =>
        h('li', { class: 'device', testid: 'device-row', 'data-serial': d.serial }, deviceButton(d, () => void open(d))),
      ),
    );
    if (l.devices.length === 0) list.append(h('li', { class: 'muted' }, t('devices.none')));
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
    }, t('common.close'));
    cameras.replaceChildren(
      h('div', { class: 'row' }, h('h2', { testid: 'cameras-title' }, ...tn(d.category === 'IPC' ? 'cameras.titleCamera' : 'cameras.titleChannels', { name: h('span', { translate: 'no' }, d.name), count: c.cameras.length })), close),
      c.saved ? h('p', { class: 'saved', testid: 'cameras-saved' }, t('cameras.saved', { ago: ago(c.fetchedAt, Date.now() / 1000) })) : '',
      h(
        'ul',
        { class: 'camera-list' },
        ...c.cameras.map((cam) =>
          h(
            'li',
            { testid: 'camera-row' },
            h('span', { class: 'channel', testid: 'camera-channel' }, t('cameras.channel', { n: cam.channel })),
            h('span', { testid: 'camera-name', translate: 'no' }, cam.name),
            h('span', { class: cam.signal ? 'ok' : 'bad', testid: 'camera-signal' }, cam.signal ? t('cameras.signal') : t('cameras.noSignal')),
          ),
        ),
      ),
    );
    cameras.hidden = false;
  };
  const open = async (d: Device) => {
    const btn = list.querySelector<HTMLButtonElement>(`[data-serial="${d.serial}"] button`);
    if (!btn) return;
    const opened = await act(btn, t('devices.opening', { name: d.name }), error, async () => showCameras(d, await backend.deviceCameras(d.serial)));
    for (const b of list.querySelectorAll<HTMLButtonElement>('button.device-open')) b.setAttribute('aria-expanded', 'false');
    if (opened) btn.setAttribute('aria-expanded', 'true');
  };
  const load = () =>
    act(refresh, t('devices.refreshing'), error, async () => {
      showList(await backend.listDevices());
      if (saved.textContent) announce(saved.textContent);
    });
  refresh.addEventListener('click', () => void load());
  // Keep "updated …" and "saved … ago" true while the screen stays open.
  const ticker = window.setInterval(() => {
    if (!last) return;
    updated.textContent = t('devices.updated', { when: when(last.fetchedAt, Date.now() / 1000) });
    if (last.saved) showList(last);
  }, 30_000);
  nav.onLeave(() => window.clearInterval(ticker));
  void load();

  return wideCard(
    t('home.title'),
    h('p', {}, ...tn('home.signedInAs', { who: h('strong', { testid: 'home-user', dir: 'ltr', translate: 'no' }, who) })),
    h(
      'p',
      { class: 'muted', testid: 'home-terminal' },
      nav.status.terminalRemembered
        ? t('home.trusted')
        : t('home.notRemembered'),
    ),
    h('div', { class: 'row' }, h('h2', {}, t('devices.title')), h('div', { class: 'row' }, updated, refresh)),
    saved,
    error,
    list,
    cameras,
    h('div', { class: 'row actions' }, h('button', { type: 'button', testid: 'nav-settings', onclick: () => nav.settings(home) }, t('settings.title')), logout),
  );
}

function deviceButton(d: Device, onOpen: () => void): HTMLButtonElement {
  return h(
    'button',
    // Named by what it shows (name, type, model, serial, status), so that a
    // voice-control user who says what they see presses it (WCAG 2.5.3);
    // what it does follows for a screen reader.
    { type: 'button', class: 'device-open', testid: 'device-open', onclick: onOpen },
    h('span', { class: `dot ${d.online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
    h(
      'span',
      { class: 'device-text' },
      h('strong', { testid: 'device-name', translate: 'no' }, d.name),
      h('small', { class: 'muted' }, h('span', { testid: 'device-type' }, kind(d.category)), ' · ', h('span', { dir: 'ltr' }, d.model), ' · ', h('span', { testid: 'device-serial', dir: 'ltr' }, d.serial)),
    ),
    h('span', { class: `status ${d.online ? 'on' : 'off'}`, testid: 'device-status' }, d.online ? t('device.online') : t('device.offline')),
    h('span', { class: 'sr-only' }, t('device.showCameras')),
    // A sign that the row opens.
    h('span', { class: 'chevron', 'aria-hidden': 'true' }, '›'),
  );
}
