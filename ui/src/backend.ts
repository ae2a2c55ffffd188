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

export interface Device {
  serial: string;
  name: string;
  /** IPC, NVR or DVR. */
  category: string;
  model: string;
  version: string;
  online: boolean;
  localIp: string;
}

/** A list fresh from the cloud, or `saved` from an earlier visit (with why). */
export interface DeviceList {
  devices: Device[];
  fetchedAt: number;
  saved: boolean;
  problem: string | null;
}

export interface Camera {
  id: string;
  name: string;
  channel: number;
  signal: boolean;
}

export interface CameraList {
  serial: string;
  cameras: Camera[];
  fetchedAt: number;
  saved: boolean;
  problem: string | null;
}

/** One message of the QA outbox. */
export interface OutboxMessage {
  id: number;
  channel: 'email' | 'sms';
  to: string;
  bizType: string | null;
  code: string | null;
  subject: string;
  body: string;
  sentAt: number;
  deliveredAt: number | null;
  status: string;
}

export interface QaFault {
  delaySeconds: number;
  dropRate: number;
  failNext: number;
}

export interface QaView {
  addresses: string[];
  messages: OutboxMessage[];
  cloudNow: number;
  faults: Record<string, QaFault>;
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
  listDevices: () => call<DeviceList>('list_devices'),
  deviceCameras: (serial: string) => call<CameraList>('device_cameras', { serial }),
  qaAvailable: () => call<boolean>('qa_available'),
  qaView: () => call<QaView>('qa_view'),
  qaAdvanceClock: (seconds: number) => call<number>('qa_advance_clock', { seconds }),
  qaSetFault: (channel: 'email' | 'sms', fault: QaFault) => call<Record<string, QaFault>>('qa_set_fault', { channel, fault }),
  qaClearFaults: () => call<Record<string, QaFault>>('qa_clear_faults'),
  openQaInbox: () => call<void>('open_qa_inbox'),
  logout: () => call<void>('logout'),
};
