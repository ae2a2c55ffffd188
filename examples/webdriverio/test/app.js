// The app in a window: one install is one computer (its data folder and
// keyring namespace), so a second install is a second terminal.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let current = null;

export function newInstall() {
  current = {
    dataDir: mkdtempSync(join(tmpdir(), 'hik-install-')),
    keyringService: `hik-example-${randomUUID().slice(0, 8)}`,
  };
  return current;
}

export function currentInstall() {
  return current;
}

export function appCapabilities(install) {
  return {
    'tauri:options': {
      application: process.env.HIK_APP_PATH,
      args: [
        '--cloud-url', process.env.HIK_QA_CLOUD_URL,
        '--data-dir', install.dataDir,
        '--keyring-service', install.keyringService,
      ],
    },
  };
}

/** Wait until the app has started (`#app[data-started]`). */
export async function started() {
  await browser.waitUntil(
    async () => Boolean(await $('#app').getAttribute('data-started')),
    { timeoutMsg: 'the app never finished starting' },
  );
}

/** Quit this app and open another install of it: another computer. */
export async function openNewInstall() {
  await browser.reloadSession(appCapabilities(newInstall()));
  await started();
}

/**
 * Save the app's window as the display shows it. WebDriver's own screenshot
 * waits for the window to paint, which a window covered by another never
 * does on a display with no window manager; this raises the window and reads
 * it from the display (scripts/capture-window).
 */
export function captureWindow(path, install) {
  execFileSync(process.env.HIK_CAPTURE_WINDOW, [path, install?.dataDir ?? ''], {
    stdio: 'ignore',
    timeout: 30_000,
  });
}
