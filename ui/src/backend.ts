// The one module that talks to Rust. Everything else imports these functions
// and types, never @tauri-apps/api.
import { invoke } from '@tauri-apps/api/core';
import { toAppError } from './errors';

export interface Contact {
  type: 'email' | 'phone';
  fuzzyContact: string;
}

export interface Area {
  id: number;
  name: string;
  code: string;
  telephoneCode: string;
  apiDomain: string;
}

export interface Home {
  userId: string;
  username: string;
  email: string | null;
  phone: string | null;
  areaId: number;
}

export interface Status {
  cloudUrl: string;
  qaInboxUrl: string | null;
  terminalRemembered: boolean;
  keyringProblem: string | null;
  lastAccount: string | null;
  lastArea: number | null;
  home: Home | null;
  pendingContact: Contact | null;
}

/** A code was sent. `cloudNow` is the cloud's clock when it answered. */
export interface Sent {
  contact: Contact;
  retryAfter: number | null;
  expiresIn: number | null;
  cloudNow: number;
}

/** A terminal bound to the account; times are Unix seconds on the cloud's clock. */
export interface TerminalInfo {
  terminalId: number;
  name: string;
  sign: string;
  clientType: number;
  addTime: number;
  lastModifytime: number;
  ip: string;
  current: boolean;
}

export type LoginOutcome =
  | { outcome: 'loggedIn'; home: Home }
  | { outcome: 'needsTerminalCode'; contact: Contact | null }
  | { outcome: 'tooManyTerminals'; limits: number; terminals: TerminalInfo[] };

/** The password rules, rule by rule (hik_proto::policy::PasswordCheck). */
export interface PasswordCheck {
  longEnough: boolean;
  shortEnough: boolean;
  lower: boolean;
  upper: boolean;
  digit: boolean;
  symbol: boolean;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export const backend = {
  appStatus: () => call<Status>('app_status'),
  resume: () => call<Home | null>('resume'),
  syncClock: () => call<number>('sync_clock'),
  listAreas: () => call<Area[]>('list_areas'),
  checkPassword: (password: string) => call<PasswordCheck>('check_password', { password }),
  requestSignUpCode: (area: number, account: string) => call<Sent>('request_sign_up_code', { area, account }),
  signUp: (area: number, account: string, code: string, password: string) =>
    call<Home>('sign_up', { area, account, code, password }),
  login: (account: string, password: string, captcha: string | null) =>
    call<LoginOutcome>('login', { account, password, captcha }),
  captcha: (account: string) => call<string>('captcha', { account }),
  sendTerminalCode: () => call<Sent>('send_terminal_code'),
  submitTerminalCode: (code: string) => call<Home>('submit_terminal_code', { code }),
  sendTerminalRemovalCode: () => call<Sent>('send_terminal_removal_code'),
  removeTerminals: (signs: string[], code: string) => call<LoginOutcome>('remove_terminals', { signs, code }),
  requestPasswordResetCode: (account: string) => call<Sent>('request_password_reset_code', { account }),
  resetPassword: (account: string, code: string, password: string) =>
    call<void>('reset_password', { account, code, password }),
  cancelLogin: () => call<void>('cancel_login'),
  logout: () => call<void>('logout'),
};
