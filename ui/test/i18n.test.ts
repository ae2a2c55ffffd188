/// <reference types="vite/client" />
import { describe as group, expect, it } from 'vitest';
import {
  isLiteralElement,
  isPluralElement,
  isSelectElement,
  parse,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import { describe } from '../src/errors';
import { LANGUAGES, languageName, setLanguage, t } from '../src/i18n';
import { placeholders, problems, pseudo } from '../src/i18n/catalogue';
import { ago, duration, when } from '../src/i18n/format';
import en from '../src/i18n/messages/en.json';
import zh from '../src/i18n/messages/zh-CN.json';

/** Every module of the UI, and the build that names the languages, as text. */
const SOURCES = import.meta.glob<string>(['../src/**/*.ts', '../vite.config.ts'], { query: '?raw', import: 'default', eager: true });

group('the catalogue', () => {
  it('has every English message in Chinese, with the same placeholders', () => {
    expect(problems(en, zh, 'zh-CN')).toEqual([]);
  });
  it('catches a missing message, an extra one and a placeholder that differs', () => {
    const broken: Record<string, string> = { ...zh, 'nothing.like.this': 'x' };
    delete broken['login.title'];
    broken['error.1011.tries'] = '验证码错误。还可尝试 {n} 次。';
    const found = problems(en, broken, 'zh-CN');
    expect(found).toContain('zh-CN: "login.title" is missing');
    expect(found).toContain('zh-CN: "nothing.like.this" is not in the English catalogue');
    expect(found.some((p) => p.startsWith('zh-CN: "error.1011.tries" has placeholders [n]'))).toBe(true);
  });
  it('uses every message somewhere in the UI, and no more', () => {
    const code = Object.values(SOURCES).join('\n');
    const unused = Object.keys(en).filter((k) => !code.includes(`'${k}'`));
    expect(unused).toEqual([]);
  });
  it('reads placeholders through plurals and selects', () => {
    expect(placeholders('{count, plural, one {# try} other {# tries}} for {name}')).toEqual(['count:plural', 'name']);
  });
});

group('pseudo-locales made from English', () => {
  const xa = pseudo(en, 'en-XA');
  const xb = pseudo(en, 'ar-XB');
  it('en-XA is bracketed, accented and about 40% longer, placeholders kept', () => {
    expect(xa['login.title']).toBe('[Ļööĝ îîñ]');
    const length = (c: Record<string, string>) => Object.values(c).join('').length;
    expect(length(xa) / length(en)).toBeGreaterThan(1.3);
    expect(problems(en, xa, 'en-XA')).toEqual([]);
    // No plain English letters are left in the text (placeholders and the
    // plural and select keywords are not text).
    const text = (els: MessageFormatElement[]): string =>
      els
        .map((el) =>
          isLiteralElement(el) ? el.value : isPluralElement(el) || isSelectElement(el) ? Object.values(el.options).map((o) => text(o.value)).join(' ') : '',
        )
        .join(' ');
    for (const m of Object.values(xa)) expect(text(parse(m))).not.toMatch(/[a-zA-Z]{2}/);
  });
  it('ar-XB writes each word right to left, placeholders kept', () => {
    expect(xb['login.title']).toBe('\u200f\u202eLog\u202c\u200f \u200f\u202ein\u202c\u200f');
    expect(problems(en, xb, 'ar-XB')).toEqual([]);
  });
});

group('formatted in the app language', () => {
  it('speaks Chinese, plurals included', async () => {
    await setLanguage('zh-CN');
    expect(t('login.title')).toBe('登录');
    expect(describe({ code: '1011', message: 'The verification code is incorrect.', remainingAttempts: 3 })).toBe('验证码错误。还可尝试 3 次。');
    expect(describe({ code: '1012', message: 'The verification code has expired.', reason: 'expired' })).toBe('验证码已过期。请重新获取验证码。');
    expect(duration(90)).toMatch(/1\s*分钟.*30\s*秒/);
    const now = Date.UTC(2026, 10, 29, 12, 0, 0) / 1000;
    expect(ago(now - 300, now)).toBe('5分钟前');
    expect(when(now - 5, now)).toBe('刚刚');
  });
  it('knows its four languages', async () => {
    expect(LANGUAGES).toEqual(['en', 'zh-CN', 'ar-XB', 'en-XA']);
    expect(languageName('zh-CN')).toBe('简体中文');
    expect(languageName('ar-XB')).toBe('ar-XB (pseudo)');
    await setLanguage('en-XA');
    expect(t('login.title')).toBe('[Ļööĝ îîñ]');
  });
});
