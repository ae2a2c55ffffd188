// Page objects on the app's `data-testid` contract (README, "The
// data-testid contract"). The screen shown is `#app[data-screen]`.
export const byTestId = (testid) => $(`[data-testid="${testid}"]`);

export class Screen {
  constructor(name) {
    this.name = name;
  }

  /** Wait until this screen is the one shown. */
  async shown() {
    await browser.waitUntil(
      async () => (await $('#app').getAttribute('data-screen')) === this.name,
      { timeoutMsg: `never saw the ${this.name} screen` },
    );
    return this;
  }

  async fill(testid, text) {
    const field = byTestId(testid);
    await field.waitForDisplayed();
    await field.setValue(text);
  }

  async click(testid) {
    const button = byTestId(testid);
    await button.waitForClickable();
    await button.click();
  }
}

/** The code entry every screen that asks for a code shares: its testids
 * start with the screen's prefix (`signup`, `verify`, `forgot`...). */
export class CodeEntry extends Screen {
  constructor(name, prefix = name) {
    super(name);
    this.prefix = prefix;
  }

  async enterCode(code) {
    await this.fill(`${this.prefix}-code`, code);
  }

  async submit() {
    await this.click(`${this.prefix}-submit`);
  }
}
