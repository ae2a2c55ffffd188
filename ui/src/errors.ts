// Errors from Rust arrive as {code, message, ...}; this turns them into words
// for people from the code and its typed details (reason, rule, transport,
// tries left, seconds). The message is Rust's or the cloud's, for logs only:
// it is never shown or read here.
import type { AppError } from './bindings';
import { ltr, t } from './i18n';
import { duration } from './i18n/format';

export type { AppError };

export function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    return e as AppError;
  }
  return { code: 'internal', message: typeof e === 'string' ? e : String(e) };
}

/** A 1015 that locks the account for a while (not a captcha request). */
export function isLock(e: AppError): boolean {
  return e.code === '1015' && !e.needCaptcha && e.retryAfter != null;
}

/** Why a 1012 code is dead, in one sentence (without what to do next). */
export function codeDeadWhy(e: AppError): string {
  switch (e.reason) {
    case 'used':
      return t('error.code.used');
    case 'replaced':
      return t('error.code.replaced');
    case 'expired':
      return t('error.code.expired');
    case 'burned':
      return t('error.code.burned');
    default:
      return t('error.code.dead');
  }
}

/** What a refused input is told, by the rule it broke. */
function invalidInput(e: AppError): string {
  switch (e.rule) {
    case 'email':
      return t('error.input.email');
    case 'phone':
      return t('error.input.phone');
    case 'account':
      return t('error.input.account');
    case 'code':
      return t('error.input.code', { min: e.min ?? 4, max: e.max ?? 8 });
    case 'password':
      return t('error.input.password');
    case 'missing':
      return e.field === 'password' || e.field === 'oldPassword' ? t('error.input.passwordMissing') : t('error.input.missing');
    case 'region':
      return t('error.input.region');
    case 'noSuchDevice':
      return t('error.input.noSuchDevice');
    case 'noneChosen':
      return t('error.input.noneChosen');
    case 'stale':
      return t('error.input.stale');
    case 'outOfRange':
    case 'tooLong':
    case 'malformed':
    case undefined:
      return t('error.input.malformed');
    default: {
      const unknown: never = e.rule;
      return `${unknown}`;
    }
  }
}

/** Why the cloud's certificate was refused, and what to do. */
function certificate(e: AppError): string {
  switch (e.transport) {
    case 'expired':
      return t('error.certificate.expired');
    case 'wrongName':
      return t('error.certificate.wrongName');
    case 'unknownIssuer':
      return t('error.certificate.unknownIssuer');
    default:
      return t('error.certificate.bad');
  }
}

/** Where start-up failed, and what to do about it. */
function notStarted(e: AppError): string {
  const path = ltr(e.path ?? '');
  switch (e.stage) {
    case 'dataFolder':
      return t('error.notStarted.dataFolder', { path });
    case 'database':
      return e.path ? t('error.notStarted.database', { path }) : t('error.notStarted');
    case 'embeddedCloud':
      return t('error.notStarted.embeddedCloud');
    case 'cloudCa':
      return t('error.notStarted.cloudCa', { path });
    default:
      return t('error.notStarted');
  }
}

/** The sentence shown under a form for an error: every code is named, so
 * a code added in Rust does not compile here until it is given its words. */
export function describe(e: AppError): string {
  switch (e.code) {
    case '1011':
      return e.remainingAttempts == null ? t('error.1011') : t('error.1011.tries', { count: e.remainingAttempts });
    case '1043':
      return t('error.1043');
    case '1012':
      return t('error.1012', { why: codeDeadWhy(e) });
    case '1013':
      return t('error.1013');
    case '1014':
      return e.needCaptcha ? t('error.1014.captcha') : t('error.1014');
    case '1015':
      if (e.reason === 'captchaWrong') return t('error.1015.captchaWrong');
      if (e.needCaptcha) return t('error.1015.captchaMissing');
      return e.retryAfter != null ? t('error.1015.locked', { duration: duration(e.retryAfter) }) : t('error.1015');
    case '1041':
      return e.retryAfter != null ? t('error.1041.wait', { duration: duration(e.retryAfter) }) : t('error.1041');
    case '1069':
      return t('error.1069');
    case '1100':
      return t('error.1100');
    case '2001':
      return t('error.2001');
    case '2002':
      return t('error.2002');
    case '2003':
      return t('error.2003');
    case '2004':
      return t('error.2004');
    case '2005':
      return t('error.2005');
    case '6002':
      return t('error.6002');
    case '80000':
      return t('error.80000');
    case 'cloud_other':
      return t('error.cloudOther', { code: String(e.cloudCode ?? '?') });
    case 'unreachable':
      return e.transport === 'timedOut' ? t('error.unreachable.timedOut') : t('error.unreachable');
    case 'certificate':
      return certificate(e);
    case 'cloud_error':
      return t('error.cloudError', { status: String(e.httpStatus ?? '5xx') });
    case 'invalid_input':
      return invalidInput(e);
    case 'unauthorized':
    case 'session_ended':
      return t('error.sessionEnded');
    case 'not_logged_in':
      return t('error.notLoggedIn');
    case 'no_pending_login':
      return t('error.noPendingLogin');
    case 'protocol':
      return t('error.protocol');
    case 'storage':
      return t('error.storage');
    case 'not_started':
      return notStarted(e);
    case 'internal':
      return t('error.internal');
    default: {
      const unknown: never = e.code;
      return `${unknown}`;
    }
  }
}
