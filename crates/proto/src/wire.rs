//! Reply bodies, field for field as docs/protocol.md names them. Every reply is
//! `{"meta": {...}}` plus the fields of one of these, flattened.

use crate::ResultCode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub code: ResultCode,
    pub message: String,
    #[serde(default)]
    pub more_info: Option<serde_json::Value>,
}

/// A whole reply: meta and the body of one endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reply<T> {
    pub meta: Meta,
    #[serde(flatten)]
    pub body: T,
}

/// Where a code was sent, masked (`ab***@example.com`, `138****5678`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// `email` or `phone`.
    #[serde(rename = "type")]
    pub kind: crate::types::Channel,
    pub fuzzy_contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Area {
    pub id: u32,
    pub name: String,
    pub code: String,
    pub telephone_code: String,
    pub api_domain: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AreaList {
    pub area_list: Vec<Area>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CodeSent {
    pub contact: Contact,
    /// Seconds before another code may be requested (simulator extension).
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Seconds the code stays valid (simulator extension).
    #[serde(default)]
    pub expires_in: Option<u64>,
    /// What the code is made of, for the field's keyboard (simulator
    /// extension; digits when absent).
    #[serde(default)]
    pub code_alphabet: crate::CodeAlphabet,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginUser {
    pub user_id: String,
    pub username: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    pub area_id: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registered {
    pub login_user: LoginUser,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginSession {
    pub session_id: String,
    pub rf_session_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginArea {
    pub api_domain: String,
    pub web_domain: String,
    pub area_name: String,
    pub area_id: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TerminalStatus {
    pub terminal_binded: u8,
    pub terminal_opened: u8,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedIn {
    pub login_session: LoginSession,
    pub login_user: LoginUser,
    pub login_area: LoginArea,
    pub login_terminal_status: TerminalStatus,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub session_id: String,
    pub refresh_session_id: String,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refreshed {
    pub session_info: SessionInfo,
}

/// Why a code has several causes (simulator extension `reason`): a client
/// words its message from this, never from `meta.message`, which the real
/// cloud writes in Chinese whatever the client's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// 1012: the code was used already.
    Used,
    /// 1012: a newer code was sent; the newest one still works.
    Replaced,
    /// 1012: the code's time ran out.
    Expired,
    /// 1012: too many wrong entries ended the code.
    Burned,
    /// 1012: no code was sent for this (or the account is unknown).
    NoCode,
    /// 1015: a captcha is due and none was typed.
    CaptchaMissing,
    /// 1015: the captcha typed did not match the picture.
    CaptchaWrong,
    /// 1015: the account is locked after too many wrong passwords.
    Locked,
}

/// A `reason` this side does not know (a newer cloud's) reads as none.
fn lenient_reason<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Reason>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

/// Fields that may ride along with a non-200 `meta.code`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// Which cause of the code it is (simulator extension).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_reason"
    )]
    pub reason: Option<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_attempts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// With 6002: every address the code can go to, masked, when there is a
    /// choice (simulator extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_captcha: Option<bool>,
    /// With a captcha: how long the lock lasts that the remaining wrong
    /// passwords would bring (simulator extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_area: Option<LoginArea>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// With 1069: the terminals to choose from and the id to remove them with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_data: Option<TerminalData>,
}

/// A terminal bound to an account. Times are Unix seconds (simulator-defined).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TerminalInfo {
    pub terminal_id: i64,
    pub name: String,
    /// The terminal's `featureCode`.
    pub sign: String,
    pub client_type: u32,
    pub add_time: i64,
    pub last_modifytime: i64,
    pub ip: String,
    /// Whether this is the terminal making the request.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TerminalData {
    pub temp_id: String,
    pub limits: u32,
    pub terminals: Vec<TerminalInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
    pub total: u32,
    pub has_next: bool,
}

impl Page {
    pub fn new(limit: u32, offset: u32, total: u32) -> Self {
        Self {
            limit,
            offset,
            total,
            has_next: offset.saturating_add(limit) < total,
        }
    }
}

/// `GET /v3/users/info`: the profile, contacts in full and masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    #[serde(flatten)]
    pub user: LoginUser,
    #[serde(default)]
    pub fuzzy_email: Option<String>,
    #[serde(default)]
    pub fuzzy_phone: Option<String>,
}

/// `GET /v3/terminals`: one page of the account's terminals.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TerminalPage {
    pub page: Page,
    pub terminals: Vec<TerminalInfo>,
}

/// `GET /v3/users/activity` (simulator-defined): the account's latest
/// security events, newest first, those of the terminal asking marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityList {
    pub activity: Vec<Activity>,
}

/// A device of the account, as the device list names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    pub device_serial: String,
    pub full_serial: String,
    pub name: String,
    /// The model, e.g. `DS-2CD2143G2-I`.
    pub device_type: String,
    pub version: String,
    /// `IPC`, `NVR` or `DVR`.
    pub device_category: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceStatus {
    /// 1 online, 0 offline.
    pub global_status: u8,
    #[serde(default)]
    pub upgrade_available: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceConnection {
    #[serde(default)]
    pub local_ip: String,
    #[serde(default)]
    pub net_ip: String,
}

/// `GET /v3/userdevices/v1/devices/pagelist`: one page, and maps keyed by serial.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DevicePage {
    pub page: Page,
    pub device_infos: Vec<DeviceInfo>,
    #[serde(default)]
    pub status_infos: std::collections::HashMap<String, DeviceStatus>,
    #[serde(default)]
    pub connection_infos: std::collections::HashMap<String, DeviceConnection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelInfo {
    /// 1 video signal present, 0 none.
    pub signal_status: u8,
}

/// A camera (or an NVR/DVR channel) of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CameraInfo {
    pub camera_id: String,
    pub camera_name: String,
    pub channel_no: u32,
    pub is_show: u8,
    pub device_channel_info: ChannelInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CameraList {
    pub camera_infos: Vec<CameraInfo>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_reply_reads_back_with_its_extras() {
        let json =
            r#"{"meta":{"code":1011,"message":"wrong","moreInfo":null},"remainingAttempts":3}"#;
        let reply: Reply<Failure> = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reply.meta.code, ResultCode::WrongCode);
        assert_eq!(reply.body.remaining_attempts, Some(3));
        assert_eq!(reply.body.retry_after, None);
    }
}

/// One event of an account's audit trail, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// Unix seconds, cloud clock.
    pub at: i64,
    /// `login`, `terminal_bound`, `password_changed`, ...
    pub event: String,
    /// `ok`, `refused`, ...
    pub outcome: String,
    /// The terminal's name, when the flow knew it.
    pub terminal: Option<String>,
    pub ip: String,
    /// More about the event; never a secret.
    pub detail: Option<String>,
    /// Whether it came from the terminal asking.
    #[serde(default)]
    pub current: bool,
}
