import { byTestId, CodeEntry, Screen } from './screen.js';

class Login extends Screen {
  constructor() {
    super('login');
  }

  async logIn(account, password) {
    await this.shown();
    await this.fill('login-account', account);
    await this.fill('login-password', password);
    await this.click('login-submit');
  }

  async goToSignUp() {
    await this.shown();
    await this.click('nav-signup');
    return signUp.shown();
  }

  /** The lock's time left, `m:ss`, counting down. */
  get lockCountdown() {
    return byTestId('login-lock-countdown');
  }

  get notice() {
    return byTestId('login-notice');
  }

  async resetPasswordFromLock() {
    await this.click('login-lock-reset');
    return forgot.shown();
  }
}

class SignUp extends CodeEntry {
  constructor() {
    super('signup');
  }

  async sendCodeToEmail(email, areaId = '44') {
    await byTestId('signup-region').selectByAttribute('value', areaId);
    await this.fill('signup-email', email);
    await this.click('signup-send-code');
    await expect(byTestId('signup-code-sent')).toHaveText(expect.stringContaining(email));
  }

  async createAccount(code, password) {
    await this.enterCode(code);
    await this.fill('signup-password', password);
    await this.submit();
    return home.shown();
  }
}

/** A new terminal (6002): the code proves the person has the account's
 * email or phone. */
class Verify extends CodeEntry {
  constructor() {
    super('verify');
  }

  /** "We sent a verification code to …" */
  get codeSent() {
    return byTestId('verify-code-sent');
  }

  async sendCode() {
    await this.click('verify-send');
    await this.codeSent.waitForDisplayed();
  }

  async verify(code) {
    await this.enterCode(code);
    await this.submit();
    return home.shown();
  }
}

class Forgot extends CodeEntry {
  constructor() {
    super('forgot');
  }

  async sendCode() {
    await this.click('forgot-send-code');
    await byTestId('forgot-code-sent').waitForDisplayed();
  }

  async reset(code, newPassword) {
    await this.enterCode(code);
    await this.fill('forgot-password', newPassword);
    await this.submit();
    return login.shown();
  }
}

class Home extends Screen {
  constructor() {
    super('home');
  }

  /** The account signed in. */
  get user() {
    return byTestId('home-user');
  }

  /** Whether this computer is trusted. */
  get terminal() {
    return byTestId('home-terminal');
  }
}

export const login = new Login();
export const signUp = new SignUp();
export const verify = new Verify();
export const forgot = new Forgot();
export const home = new Home();
