import { started } from '../app.js';
import { login, verify } from '../pageobjects/screens.js';
import * as qa from '../qa.js';

const NEW_PASSWORD = 'New-Horse-42';

describe('a locked account', () => {
  it('is unlocked by a password reset', async () => {
    // Ten wrong passwords, in one step: the account is locked for 20 minutes.
    const { account, password } = await qa.scenario('account-locked');
    await started();

    await login.logIn(account, password);
    await expect(login.lockCountdown).toHaveText(/^(19:[0-5]\d|20:00)$/);

    const forgot = await login.resetPasswordFromLock();
    await forgot.sendCode();
    await forgot.reset(await qa.code(account, 'RETRIEVE_PASSWORD'), NEW_PASSWORD);
    await expect(login.notice).toHaveText(expect.stringContaining('reset'));

    // Unlocked: the new password is taken (this computer is new to the
    // account, so its code is asked next).
    await login.logIn(account, NEW_PASSWORD);
    await verify.shown();
    await verify.sendCode();
    const home = await verify.verify(await qa.code(account, 'TERMINAL_BIND'));
    await expect(home.user).toHaveText(account);
  });
});
