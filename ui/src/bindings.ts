// Generated from the Rust code (src-tauri/src/bindings.rs): the types that cross
// from Rust and every command. Do not edit; run scripts/bindings.

export type Startup = { status: Status, 
/**
 * Logged in again with the refresh token the last run kept.
 */
home: Home | null, 
/**
 * Why that could not be tried (the cloud away), for a banner and a retry.
 */
resumeError: AppError | null, 
/**
 * Whether the cloud serves the QA surface (the QA drawer shows then).
 */
qa: boolean, };

export type Status = { cloudUrl: string, qaInboxUrl: string | null, 
/**
 * Whether this terminal is remembered (fingerprint kept in the keyring).
 */
terminalRemembered: boolean, keyringProblem: string | null, lastAccount: string | null, lastArea: number | null, home: Home | null, pendingContact: Contact | null, };

export type Home = { userId: string, username: string, email: string | null, phone: string | null, areaId: number, };

export type Contact = { 
/**
 * `email` or `phone`.
 */
type: Channel, fuzzyContact: string, };

export type Area = { id: number, name: string, code: string, telephoneCode: string, apiDomain: string, };

export type CodeSent = { contact: Contact, 
/**
 * Seconds before another code may be requested (simulator extension).
 */
retryAfter: number | null, 
/**
 * Seconds the code stays valid (simulator extension).
 */
expiresIn: number | null, 
/**
 * What the code is made of, for the field's keyboard (simulator
 * extension; digits when absent).
 */
codeAlphabet: CodeAlphabet, };

export type Sent = { cloudNow: number, contact: Contact, 
/**
 * Seconds before another code may be requested (simulator extension).
 */
retryAfter: number | null, 
/**
 * Seconds the code stays valid (simulator extension).
 */
expiresIn: number | null, 
/**
 * What the code is made of, for the field's keyboard (simulator
 * extension; digits when absent).
 */
codeAlphabet: CodeAlphabet, };

export type LoginOutcome = { "outcome": "loggedIn", home: Home, } | { "outcome": "needsTerminalCode", contact: Contact | null, contacts: Array<Contact>, channel: Channel | null, } | { "outcome": "tooManyTerminals", limits: number, terminals: Array<Terminal>, contacts: Array<Contact>, channel: Channel | null, };

export type Terminal = { terminalId: number, name: string, clientType: number, addTime: number, lastModifytime: number, ip: string, 
/**
 * Whether this is the terminal the app runs on.
 */
current: boolean, };

export type PasswordCheck = { longEnough: boolean, shortEnough: boolean, lower: boolean, upper: boolean, digit: boolean, symbol: boolean, };

export type PasswordFeedback = { 
/**
 * At least `MIN_CLASSES` kinds of character.
 */
enoughClasses: boolean, 
/**
 * Every rule met (the cloud may still refuse a common password).
 */
passes: boolean, longEnough: boolean, shortEnough: boolean, lower: boolean, upper: boolean, digit: boolean, symbol: boolean, };

export type DeviceList = { devices: Array<Device>, 
/**
 * When the cloud sent it (Unix seconds, this computer's clock).
 */
fetchedAt: number, 
/**
 * Shown from the local database because the cloud could not be reached.
 */
saved: boolean, 
/**
 * Why the cloud could not be reached, when `saved`.
 */
problem: string | null, };

export type Device = { serial: string, name: string, 
/**
 * `IPC`, `NVR` or `DVR`.
 */
category: string, 
/**
 * The model, e.g. `DS-7608NI-K2`.
 */
model: string, version: string, online: boolean, localIp: string, };

export type CameraList = { serial: string, cameras: Array<Camera>, fetchedAt: number, saved: boolean, problem: string | null, };

export type Camera = { id: string, name: string, channel: number, 
/**
 * Whether the channel has a video signal.
 */
signal: boolean, };

export type Security = { email: string | null, phone: string | null, fuzzyEmail: string | null, fuzzyPhone: string | null, areaId: number, 
/**
 * The dialling code of the account's region, for a new phone number.
 */
telephoneCode: string | null, twoStep: boolean, 
/**
 * Whether this computer is one of the account's bound terminals.
 */
thisTerminalBound: boolean, 
/**
 * Every terminal, the most recently used first; `current` marks this one.
 */
terminals: Array<Terminal>, 
/**
 * The latest 20 security events, newest first; `current` marks this
 * computer's.
 */
activity: Array<Activity>, 
/**
 * The cloud's clock when this was read (Unix seconds), for "5 minutes ago".
 */
cloudNow: number, 
/**
 * Where codes go, as chosen last time (when the account has both).
 */
codeChannel: Channel | null, };

export type Removed = { loggedOut: boolean, };

export type Activity = { 
/**
 * Unix seconds, cloud clock.
 */
at: number, 
/**
 * `login`, `terminal_bound`, `password_changed`, ...
 */
event: string, 
/**
 * `ok`, `refused`, ...
 */
outcome: string, 
/**
 * The terminal's name, when the flow knew it.
 */
terminal: string | null, ip: string, 
/**
 * More about the event; never a secret.
 */
detail: string | null, 
/**
 * Whether it came from the terminal asking.
 */
current: boolean, };

export type CodeAlphabet = "digits" | "letters";

export type ScenarioInfo = { name: string, title: string, };

export type ScenarioSetUp = { scenario: string, 
/**
 * The account it was set up for.
 */
account: string, 
/**
 * Its password, when the scenario made a fresh account.
 */
password: string | null, 
/**
 * What was done and what to do next, in a sentence or two.
 */
summary: string, };

export type Channel = "email" | "phone";

export type CodePurpose = "twoStep" | "removeTerminals" | "deleteAccount" | "emailOld" | "emailNew" | "phoneOld" | "phoneNew" | "contactTest";

export type QaView = { 
/**
 * The addresses the messages are for: the logged-in account's email and
 * phone, or the account a login or reset is under way for.
 */
addresses: Array<string>, 
/**
 * Newest first, at most 20.
 */
messages: Array<OutboxMessage>, 
/**
 * The cloud's clock (Unix seconds).
 */
cloudNow: number, 
/**
 * Faults in force, by channel (`email`, `sms`).
 */
faults: { [key in string]?: QaFault }, 
/**
 * The scenarios the cloud can set up in one step.
 */
scenarios: Array<ScenarioInfo>, };

export type OutboxMessage = { id: number, channel: "email" | "sms", to: string, bizType: string | null, code: string | null, subject: string, body: string, sentAt: number, deliveredAt: number | null, status: string, };

export type QaFault = { 
/**
 * Messages arrive this many seconds (cloud clock) after they are sent.
 */
delaySeconds: number, 
/**
 * The share of messages (0 to 1) that never arrive.
 */
dropRate: number, 
/**
 * The next N messages fail to send.
 */
failNext: number, };

export type ErrorCode = "1011" | "1012" | "1013" | "1014" | "1015" | "1041" | "1043" | "1069" | "1100" | "2001" | "2002" | "2003" | "2004" | "2005" | "6002" | "80000" | "cloud_other" | "unreachable" | "certificate" | "cloud_error" | "invalid_input" | "unauthorized" | "session_ended" | "not_logged_in" | "no_pending_login" | "protocol" | "storage" | "not_started" | "internal";

export type Rule = "email" | "phone" | "account" | "code" | "password" | "missing" | "region" | "noSuchDevice" | "noneChosen" | "stale" | "outOfRange" | "tooLong" | "malformed";

export type Transport = "refused" | "timedOut" | "broken" | "unknownIssuer" | "expired" | "wrongName" | "badCertificate";

export type StartStage = "dataFolder" | "database" | "embeddedCloud" | "cloudCa" | "random";

export type Reason = "used" | "replaced" | "expired" | "burned" | "noCode" | "captchaMissing" | "captchaWrong" | "locked";

export type AppError = { 
/**
 * The cloud's `meta.code` ("1011") or a word for this side ("unreachable").
 */
code: ErrorCode, 
/**
 * A sentence for the log, in English; the UI words each code itself.
 */
message: string, field?: string, 
/**
 * With `invalid_input`: the rule broken.
 */
rule?: Rule, 
/**
 * With `invalid_input` of a length or range: the bounds.
 */
min?: number, max?: number, 
/**
 * With `unreachable` and `certificate`: how the connection failed.
 */
transport?: Transport, 
/**
 * With 1012 and 1015: which cause (the cloud's `reason`).
 */
reason?: Reason, 
/**
 * With `cloud_other`: the cloud's `meta.code`.
 */
cloudCode?: number, 
/**
 * With `not_started`: where start-up failed, and the file or folder.
 */
stage?: StartStage, path?: string, 
/**
 * With `cloud_error`: the HTTP status the cloud (or its gateway) sent.
 */
httpStatus?: number, remainingAttempts?: number, retryAfter?: number, contact?: Contact, policy?: string, needCaptcha?: boolean, 
/**
 * With a captcha: how long the lock would last (seconds).
 */
lockSeconds?: number, };

/** Calls a command by name; backend.ts supplies it (the only caller of Tauri). */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** Every command of the app, typed. */
export function commands(invoke: Invoke) {
  return {
    start: () => invoke<Startup>('start'),
    appStatus: () => invoke<Status>('app_status'),
    resume: () => invoke<Home | null>('resume'),
    syncClock: () => invoke<number>('sync_clock'),
    listAreas: () => invoke<Array<Area>>('list_areas'),
    checkPassword: (password: string) => invoke<PasswordFeedback>('check_password', { password }),
    requestSignUpCode: (area: number, account: string) => invoke<Sent>('request_sign_up_code', { area, account }),
    signUp: (area: number, account: string, code: string, password: string) => invoke<Home>('sign_up', { area, account, code, password }),
    login: (account: string, password: string, captcha: string | null) => invoke<LoginOutcome>('login', { account, password, captcha }),
    captcha: (account: string) => invoke<string>('captcha', { account }),
    sendCaptcha: (account: string) => invoke<Sent>('send_captcha', { account }),
    sendTerminalCode: (channel: Channel | null) => invoke<Sent>('send_terminal_code', { channel }),
    submitTerminalCode: (code: string) => invoke<Home>('submit_terminal_code', { code }),
    sendTerminalRemovalCode: (channel: Channel | null) => invoke<Sent>('send_terminal_removal_code', { channel }),
    removeTerminals: (terminalIds: Array<number>, code: string) => invoke<LoginOutcome>('remove_terminals', { terminalIds, code }),
    requestPasswordResetCode: (account: string) => invoke<Sent>('request_password_reset_code', { account }),
    resetPassword: (account: string, code: string, password: string) => invoke<void>('reset_password', { account, code, password }),
    cancelLogin: () => invoke<void>('cancel_login'),
    logout: () => invoke<void>('logout'),
    listDevices: () => invoke<DeviceList>('list_devices'),
    deviceCameras: (serial: string) => invoke<CameraList>('device_cameras', { serial }),
    security: () => invoke<Security>('security'),
    sendSecurityCode: (purpose: CodePurpose, channel: Channel | null, newAddress: string | null) => invoke<Sent>('send_security_code', { purpose, channel, newAddress }),
    confirmContactTest: (code: string) => invoke<void>('confirm_contact_test', { code }),
    setTwoStep: (enable: boolean, code: string | null) => invoke<void>('set_two_step', { enable, code }),
    removeAccountTerminals: (terminalIds: Array<number>, code: string | null) => invoke<Removed>('remove_account_terminals', { terminalIds, code }),
    changePassword: (oldPassword: string, newPassword: string) => invoke<void>('change_password', { oldPassword, newPassword }),
    changeContact: (phone: boolean, newAddress: string, oldCode: string, newCode: string, channel: Channel) => invoke<Home>('change_contact', { phone, newAddress, oldCode, newCode, channel }),
    deleteAccount: (code: string) => invoke<void>('delete_account', { code }),
    qaView: () => invoke<QaView>('qa_view'),
    qaAdvanceClock: (seconds: number) => invoke<number>('qa_advance_clock', { seconds }),
    qaSetFault: (channel: string, fault: QaFault) => invoke<{ [key in string]?: QaFault }>('qa_set_fault', { channel, fault }),
    qaClearFaults: () => invoke<{ [key in string]?: QaFault }>('qa_clear_faults'),
    qaScenario: (name: string, fresh: boolean) => invoke<ScenarioSetUp>('qa_scenario', { name, fresh }),
    setLanguage: (language: string) => invoke<void>('set_language', { language }),
    openQaInbox: () => invoke<void>('open_qa_inbox'),
  };
}
