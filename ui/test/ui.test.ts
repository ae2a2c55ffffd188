import { describe as group, expect, it } from 'vitest';
import { CloudClock } from '../src/clock';
import { looksComplete, normalizeCode } from '../src/code';
import { inWords } from '../src/code-entry';
import { describe, formatDuration, isLock } from '../src/errors';

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
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(9)).toBe('0:09');
    expect(formatDuration(-3)).toBe('0:00');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(inWords(600)).toBe('10 minutes');
    expect(inWords(90)).toBe('1 minute 30 seconds');
    expect(inWords(45)).toBe('45 seconds');
  });
});

group('error sentences', () => {
  it('say how many tries are left and what to do next', () => {
    expect(describe({ code: '1011', message: 'The verification code is incorrect.', remainingAttempts: 3 })).toBe(
      'The verification code is incorrect. 3 tries left.',
    );
    expect(describe({ code: '1043', message: 'x', remainingAttempts: 1 })).toMatch(/Last try/);
    expect(describe({ code: '1012', message: 'The verification code is no longer valid. Request a new code.' })).toBe(
      'The verification code is no longer valid. Request a new code.',
    );
    expect(describe({ code: '1041', message: 'x', retryAfter: 42 })).toMatch(/0:42/);
  });
  it('tell a lock from a captcha, and explain a refused password', () => {
    const lock = { code: '1015', message: 'x', retryAfter: 1200 };
    expect(isLock(lock)).toBe(true);
    expect(describe(lock)).toMatch(/locked for 20:00.*reset your password/);
    const captcha = { code: '1015', message: 'Enter the characters shown in the picture.', needCaptcha: true };
    expect(isLock(captcha)).toBe(false);
    expect(describe(captcha)).toBe('Enter the characters shown in the picture.');
    expect(describe({ code: '1014', message: 'x', needCaptcha: true })).toMatch(/characters in the picture/);
    expect(
      describe({ code: '2002', message: 'This password is one of the most common ones.', policy: '8 to 64 characters.' }),
    ).toBe('This password is one of the most common ones. A password needs 8 to 64 characters.');
  });
});
