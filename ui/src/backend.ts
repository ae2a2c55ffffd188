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

export type LoginOutcome =
  | { outcome: 'loggedIn'; home: Home }
  | { outcome: 'needsTerminalCode'; contact: Contact | null };

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
  requestSignUpCode: (area: number, account: string) => call<Sent>('request_sign_up_code', { area, account }),
  signUp: (area: number, account: string, code: string, password: string) =>
    call<Home>('sign_up', { area, account, code, password }),
  login: (account: string, password: string) => call<LoginOutcome>('login', { account, password }),
  sendTerminalCode: () => call<Sent>('send_terminal_code'),
  submitTerminalCode: (code: string) => call<Home>('submit_terminal_code', { code }),
  cancelLogin: () => call<void>('cancel_login'),
  logout: () => call<void>('logout'),
};
