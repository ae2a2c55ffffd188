// WebdriverIO's test runner against the session's tauri-driver
// (scripts/webdriver-session exports HIK_WEBDRIVER_URL, HIK_APP_PATH and
// HIK_QA_CLOUD_URL). Each spec file opens one app session; a test that needs
// another computer opens a new install (test/app.js).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appCapabilities, captureWindow, currentInstall, newInstall } from './test/app.js';

const driver = new URL(process.env.HIK_WEBDRIVER_URL ?? 'http://127.0.0.1:4444');
const artifacts = new URL('./artifacts/', import.meta.url).pathname;

export const config = {
  runner: 'local',
  hostname: driver.hostname,
  port: Number(driver.port),
  path: '/',
  specs: ['./test/specs/**/*.js'],
  // WebKitWebDriver drives one app at a time.
  maxInstances: 1,
  capabilities: [{}],
  logLevel: 'warn',
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { ui: 'bdd', timeout: 120_000 },
  waitforTimeout: 20_000,
  // A WebDriver command that has not answered in a minute fails, rather
  // than holding the suite for ever.
  connectionRetryTimeout: 60_000,
  connectionRetryCount: 0,

  // Every session is a new computer: a data folder and keyring namespace of
  // its own.
  beforeSession(_config, capabilities) {
    Object.assign(capabilities, appCapabilities(newInstall()));
  },

  async afterTest(test, _context, { passed }) {
    if (passed) return;
    const folder = join(artifacts, `${test.parent} ${test.title}`.replace(/[^\w.-]+/g, '_'));
    mkdirSync(folder, { recursive: true });
    // What is saved helps; what cannot be saved must not hide the test's
    // own failure.
    try {
      captureWindow(join(folder, 'window.png'), currentInstall());
      writeFileSync(join(folder, 'window.html'), await browser.getPageSource());
      console.log(`saved the window and its page source in ${folder}`);
    } catch (e) {
      console.log(`could not save the window: ${e}`);
    }
  },
};
