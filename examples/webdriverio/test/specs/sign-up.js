import { randomUUID } from 'node:crypto';
import { started } from '../app.js';
import { login } from '../pageobjects/screens.js';
import * as qa from '../qa.js';

const PASSWORD = 'Horse-Battery-42';

describe('sign-up', () => {
  it('creates an account by email with the code from the outbox', async () => {
    const email = `ana-${randomUUID().slice(0, 6)}@example.com`;
    await started();

    const signUp = await login.goToSignUp();
    await signUp.sendCodeToEmail(email);
    const home = await signUp.createAccount(await qa.code(email, 'USER_REGISTRATION'), PASSWORD);

    await expect(home.user).toHaveText(email);
    await expect(home.terminal).toHaveText(expect.stringContaining('This computer is trusted'));
  });
});
