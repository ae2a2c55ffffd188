import { describe as group, expect, it } from 'vitest';
import { CloudClock } from '../src/clock';
import { describeActivity } from '../src/screens/activity';
import { looksComplete, normalizeCode } from '../src/code';
import { describe, isLock, type AppError } from '../src/errors';
import { clock, duration, when } from '../src/i18n/format';

group('codes as people type them', () => {
  it('drops spaces and dashes and reads O as 0, I and l as 1', () => {
    expect(normalizeCode(' 01 2-3O ')).toBe('01230');
    expect(normalizeCode('I2l4o6')).toBe('121406');
    expect(looksComplete('O12 345')).toBe(true);
    expect(looksComplete('0000')).toBe(true); // leading zeros are digits like any other
    expect(looksComplete('123')).toBe(false);
    expect(looksComplete('123456789')).toBe(false);
    expect(looksComplete('12a456')).toBe(false);
  });
  it('reads codes with letters in small or capital letters, O as 0, I and L as 1', () => {
    expect(normalizeCode('7hk-2mo')).toBe('7HK2M0');
    expect(normalizeCode('ab iL')).toBe('AB11');
    expect(looksComplete('7hk 2mo', true)).toBe(true);
    expect(looksComplete('12u456', true)).toBe(false); // U is no character of a code
    expect(looksComplete('7hk 2mo')).toBe(false); // a cloud of digits
  });
});

group('countdowns on the cloud clock', () => {
  it('follows the cloud when it moves forward', () => {
    let local = 1000;
    const clock = new CloudClock(() => local);
    clock.sync(5000);
    const deadline = 5060;
    expect(clock.left(deadline)).toBe(60);
    local += 15;
    expect(clock.left(deadline)).toBe(45);
    clock.sync(5100); // QA moved the cloud's clock
    expect(clock.left(deadline)).toBe(0);
  });
  it('formats minutes and seconds', () => {
    expect(clock(75)).toBe('1:15');
    expect(clock(9)).toBe('0:09');
    expect(clock(-3)).toBe('0:00');
    expect(clock(3725)).toBe('1:02:05');
    expect(duration(600)).toBe('10 minutes');
    expect(duration(90)).toBe('1 minute, 30 seconds');
    expect(duration(45)).toBe('45 seconds');
  });
});

group('error sentences', () => {
  it('say how many tries are left and what to do next', () => {
    expect(describe({ code: '1011', message: 'x', remainingAttempts: 3 })).toBe('The verification code is incorrect. 3 tries left.');
    expect(describe({ code: '1011', message: 'x', remainingAttempts: 1 })).toBe('The verification code is incorrect. 1 try left.');
    expect(describe({ code: '1043', message: 'x', remainingAttempts: 1 })).toMatch(/Last try/);
    expect(describe({ code: '1012', message: 'x', reason: 'expired' })).toBe('The verification code has expired. Request a new code.');
    expect(describe({ code: '1012', message: 'x', reason: 'replaced' })).toMatch(/^A newer verification code was sent/);
    expect(describe({ code: '1041', message: 'x', retryAfter: 42 })).toMatch(/in 42 seconds\./);
  });
  it('never show the message that came with the code', () => {
    const cloudSaid = '验证码已过期';
    for (const reason of ['used', 'replaced', 'expired', 'burned', 'noCode'] as const) {
      expect(describe({ code: '1012', message: cloudSaid, reason })).not.toContain(cloudSaid);
    }
    expect(describe({ code: 'cloud_other', message: cloudSaid, cloudCode: 4321 })).toBe('The cloud refused this request (code 4321).');
    expect(describe({ code: 'invalid_input', message: 'Rust wrote this', field: 'code', rule: 'code', min: 4, max: 8 })).toBe(
      'Enter the code from the message: 4 to 8 characters.',
    );
  });
  it('tell a lock from a captcha, and explain a refused password', () => {
    const lock: AppError = { code: '1015', message: 'x', retryAfter: 1200, reason: 'locked' };
    expect(isLock(lock)).toBe(true);
    expect(describe(lock)).toMatch(/locked for 20 minutes.*reset your password/);
    const captcha: AppError = { code: '1015', message: 'x', needCaptcha: true, reason: 'captchaMissing' };
    expect(isLock(captcha)).toBe(false);
    expect(describe(captcha)).toBe('Type the characters shown in the picture.');
    expect(describe({ ...captcha, reason: 'captchaWrong' })).toMatch(/did not match the picture/);
    expect(describe({ code: '1014', message: 'x', needCaptcha: true })).toMatch(/characters in the picture/);
    expect(describe({ code: '2002', message: 'x', policy: '8 to 64 characters.' })).toMatch(/too weak or too common/);
  });
  it('say why the cloud cannot be reached', () => {
    expect(describe({ code: 'unreachable', message: 'x', transport: 'timedOut' })).toMatch(/did not answer in time/);
    expect(describe({ code: 'certificate', message: 'x', transport: 'unknownIssuer' })).toMatch(/--cloud-ca/);
  });
});

group('when things happened', () => {
  it('says recent times as people do, and the date once it is not today or yesterday', () => {
    const now = Date.UTC(2026, 10, 29, 12, 0, 0) / 1000;
    expect(when(now - 5, now)).toBe('just now');
    expect(when(now - 60, now)).toBe('1 minute ago');
    expect(when(now - 59 * 60, now)).toBe('59 minutes ago');
    expect(when(now - 2 * 3600, now)).toMatch(/^today at /);
    expect(when(now - 30 * 3600, now)).toMatch(/^yesterday at /);
    expect(when(now - 5 * 86400, now)).toMatch(/2026/);
    expect(when(now + 120, now)).toMatch(/^today at /); // a clock ahead is not "ago"
  });
});

group('recent security activity in words', () => {
  const event = (e: string, outcome = 'ok') => ({ at: 0, event: e, outcome, terminal: null, ip: '', detail: null, current: false });
  it('names each event and its outcome', () => {
    expect(describeActivity(event('sign_in'))).toBe('Signed in');
    expect(describeActivity(event('sign_in', 'refused'))).toBe('Sign-in refused');
    expect(describeActivity(event('sign_in', 'held'))).toBe('Sign-in waiting for a verification code');
    expect(describeActivity(event('two_step_switched', 'off'))).toBe('Two-step verification turned off');
    expect(describeActivity(event('terminal_bound'))).toBe('New terminal trusted');
    expect(describeActivity(event('something_new'))).toBe('Other event (something_new)');
  });
});
