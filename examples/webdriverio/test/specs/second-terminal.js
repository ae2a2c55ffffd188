import { randomUUID } from 'node:crypto';
import { openNewInstall, started } from '../app.js';
import { login, verify } from '../pageobjects/screens.js';
import * as qa from '../qa.js';

const PASSWORD = 'Horse-Battery-42';

describe('a second terminal', () => {
  it('enters the code sent to the account, and is trusted', async () => {
    const email = `ben-${randomUUID().slice(0, 6)}@example.com`;
    await started();
    const signUp = await login.goToSignUp();
    await signUp.sendCodeToEmail(email);
    await signUp.createAccount(await qa.code(email, 'USER_REGISTRATION'), PASSWORD);

    // Another computer: its own data folder and keyring namespace.
    await openNewInstall();
    await login.logIn(email, PASSWORD);
    await verify.shown();
    await verify.sendCode();
    await expect(verify.codeSent).toHaveText(expect.stringContaining('@example.com'));
    const home = await verify.verify(await qa.code(email, 'TERMINAL_BIND'));

    await expect(home.user).toHaveText(email);
    await expect(home.terminal).toHaveText(expect.stringContaining('This computer is trusted'));
  });
});
