//! The QA surface's replies (docs/protocol.md, "The QA surface"): plain JSON, no `meta`,
//! written by the cloud and read by the app's QA drawer and the test kit.

/// Kept here too: the QA surface's account view lists it.
pub use crate::wire::Activity;
use crate::wire::TerminalInfo;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Delivery faults on one channel (`POST /qa/faults`, QA surface).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct QaFault {
    /// Messages arrive this many seconds (cloud clock) after they are sent.
    #[serde(default)]
    pub delay_seconds: u64,
    /// The share of messages (0 to 1) that never arrive.
    #[serde(default)]
    pub drop_rate: f64,
    /// The next N messages fail to send.
    #[serde(default)]
    pub fail_next: u32,
}

/// A fault on the requests whose path starts with `path` (`POST /qa/faults`,
/// QA surface): held `latency_ms`, then answered with `status` instead of
/// served (when set), for the share `rate` of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EndpointFault {
    pub path: String,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub latency_ms: u64,
    pub rate: f64,
}

/// One message of the QA outbox (docs/protocol.md, "The QA surface").
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    pub id: i64,
    #[ts(type = "\"email\" | \"sms\"")]
    pub channel: String,
    pub to: String,
    pub biz_type: Option<String>,
    pub code: Option<String>,
    pub subject: String,
    pub body: String,
    pub sent_at: i64,
    pub delivered_at: Option<i64>,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outbox {
    pub messages: Vec<OutboxMessage>,
}

/// `GET` and `POST /qa/clock`: the cloud's clock, Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub now: i64,
}

/// `GET`, `POST` and `DELETE /qa/faults`: the faults in force.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Faults {
    /// Delivery faults by channel (`email`, `sms`).
    pub faults: BTreeMap<String, QaFault>,
    /// Endpoint faults, by path prefix.
    #[serde(default)]
    pub endpoints: Vec<EndpointFault>,
}

/// `GET /qa/captcha`: the answer of the account's current captcha, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptchaAnswer {
    pub answer: Option<String>,
}

/// `POST /qa/accounts`: the account made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAccount {
    pub account: String,
    pub user_id: String,
}

/// `GET /qa/accounts/{account}`: what the cloud knows of an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountState {
    pub account: String,
    pub user_id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub phone_code: Option<String>,
    pub area_id: u32,
    pub two_step: bool,
    /// Wrong passwords in a row.
    pub failed_logins: u32,
    pub captcha_required: bool,
    /// 0 when not locked.
    pub locked_for_seconds: i64,
    /// Most recently used first.
    pub terminals: Vec<TerminalInfo>,
    pub devices: u32,
    /// The latest 20 events, newest first.
    pub recent_activity: Vec<Activity>,
}

/// `POST /qa/reset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reset {
    pub reset: bool,
    pub now: i64,
}

/// `POST /qa/scenarios/{name}`: what was set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioSetUp {
    pub scenario: String,
    /// The account it was set up for.
    pub account: String,
    /// Its password, when the scenario made a fresh account.
    pub password: Option<String>,
    /// What was done and what to do next, in a sentence or two.
    pub summary: String,
}

/// A scenario the QA surface can set up (`GET /qa/scenarios`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScenarioInfo {
    pub name: String,
    pub title: String,
}
