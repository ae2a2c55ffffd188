// Errors from Rust arrive as {code, message, ...}; this turns them into words
// for people, keyed on the stable code, never on the message text.
import type { AppError } from './bindings';

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

/** The sentence shown under a form for an error: every code is named, so
 * a code added in Rust does not compile here until it is given its words. */
export function describe(e: AppError): string {
  switch (e.code) {
    case '1011': {
      const n = e.remainingAttempts;
      return n == null ? e.message : `${e.message} ${n} ${n === 1 ? 'try' : 'tries'} left.`;
    }
    case '1043':
      return 'The verification code is incorrect. Last try: one more wrong entry and this code stops working.';
    case '1012':
      return `${e.message.replace(/\s*Request a new code\.?$/, '')} Request a new code.`.trim();
    case '1013':
      return 'No account uses this email address or phone number. Check it, or sign up.';
    case '1014':
      return e.needCaptcha
        ? 'The password is incorrect. To keep your account safe, also type the characters in the picture from now on.'
        : 'The password is incorrect.';
    case '1015':
      if (e.needCaptcha) return e.message;
      return e.retryAfter != null
        ? `Too many wrong passwords: this account is locked for ${formatDuration(e.retryAfter)}. Wait, or reset your password to unlock it now.`
        : e.message;
    case '1041':
      return e.retryAfter != null
        ? `Codes were requested too often. You can ask for a new one in ${formatDuration(e.retryAfter)}.`
        : e.message;
    case '2002':
      return e.policy ? `${e.message} A password needs ${lowerFirst(e.policy)}` : e.message;
    case 'unreachable':
      return `${e.message} Check that the cloud is running, then try again.`;
    // The cloud's and the engine's own sentences say it well enough.
    case '1069':
    case '1100':
    case '2001':
    case '2003':
    case '2004':
    case '2005':
    case '6002':
    case '80000':
    case 'cloud_other':
    case 'certificate':
    case 'cloud_error':
    case 'invalid_input':
    case 'unauthorized':
    case 'session_ended':
    case 'not_logged_in':
    case 'no_pending_login':
    case 'protocol':
    case 'storage':
    case 'not_started':
    case 'internal':
      return e.message;
    default: {
      const unknown: never = e.code;
      return `${unknown}`;
    }
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** 75 -> "1:15", 9 -> "0:09", 3725 -> "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const mm = `${Math.floor((s % 3600) / 60)}`;
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
