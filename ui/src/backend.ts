// The one module that talks to Rust. Everything else imports these functions
// and types, never @tauri-apps/api. The commands and types are generated from
// the Rust code (bindings.ts); this module only supplies the call, which turns
// a rejection into an AppError.
import { invoke } from '@tauri-apps/api/core';
import { commands } from './bindings';
import { toAppError } from './errors';

export type {
  Activity,
  AppError,
  Area,
  Camera,
  CameraList,
  Channel,
  CodePurpose,
  Contact,
  Device,
  DeviceList,
  Home,
  LoginOutcome,
  OutboxMessage,
  PasswordCheck,
  PasswordFeedback,
  QaFault,
  QaView,
  Removed,
  Security,
  Sent,
  Startup,
  Status,
  Terminal,
} from './bindings';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export const backend = commands(call);
