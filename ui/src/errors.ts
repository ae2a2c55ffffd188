// Errors from Rust arrive as {code, message, ...}; this turns them into words
// for people, keyed on the stable code, never on the message text.
import type { Contact } from './backend';

export interface AppError {
  code: string;
  message: string;
  field?: string;
  remainingAttempts?: number;
  retryAfter?: number;
  contact?: Contact;
  policy?: string;
}

export function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    return e as AppError;
  }
  return { code: 'internal', message: typeof e === 'string' ? e : String(e) };
}

/** The sentence shown under a form for an error. */
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
      return 'The password is incorrect.';
    case '1041':
      return e.retryAfter != null
        ? `Codes were requested too often. You can ask for a new one in ${formatDuration(e.retryAfter)}.`
        : e.message;
    case 'unreachable':
      return `${e.message} Check that the cloud is running, then try again.`;
    default:
      return e.message;
  }
}

/** 75 -> "1:15", 9 -> "0:09". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
