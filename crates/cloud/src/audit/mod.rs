//! The audit trail: each security event is one structured log line (target
//! `hik_cloud::audit`, at `info`, so the default level shows it) and one row
//! of `audit_events`, from which an account's recent activity is listed. A
//! line names the account id, the terminal, the client's address and the
//! outcome, and never a secret: no code, password, token or fingerprint.
//!
//! Where a request comes from (its address, its terminal) is in the
//! request's context (`crate::context::Ctx`), which the flow hands down.

use crate::context::Ctx;
use crate::db::{params, Sql};
use crate::error::ApiError;

/// A security event, named in the trail as in snake case (`sign_in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Event {
    SignIn,
    CaptchaRequired,
    AccountLocked,
    AccountUnlocked,
    CodeSent,
    CodeWrong,
    CodeBurned,
    TerminalBound,
    TerminalRemoved,
    PasswordChanged,
    PasswordReset,
    EmailChanged,
    PhoneChanged,
    TwoStepSwitched,
    ContactTested,
    #[strum(serialize = "refresh_token_reused")]
    RefreshReuse,
    #[strum(serialize = "token_family_revoked")]
    FamilyRevoked,
    AccountDeleted,
}

/// How an event ended, named in the trail in lower case (`refused`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Outcome {
    Ok,
    Refused,
    /// A login held for a code or for room (6002, 1069).
    Held,
    Sent,
    Locked,
    Required,
    /// Two-step verification switched on or off.
    On,
    Off,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// One event as recorded (the QA surface and, later, the app show these).
pub use hik_proto::wire::Activity as Entry;

impl Event {
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// A line of this event about `user` (none when no account is known),
    /// ending with `outcome`.
    pub fn line<'a>(self, user: Option<i64>, outcome: Outcome) -> Line<'a> {
        Line {
            event: self,
            user,
            outcome,
            terminal: None,
            detail: None,
        }
    }
}

/// One line of the trail.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub event: Event,
    pub user: Option<i64>,
    pub outcome: Outcome,
    /// The terminal's name, when the flow knows it (else the request's).
    pub terminal: Option<&'a str>,
    /// What else a reader needs, never a secret.
    pub detail: Option<&'a str>,
}

impl<'a> Line<'a> {
    pub fn terminal(self, name: &'a str) -> Self {
        Self {
            terminal: Some(name),
            ..self
        }
    }
    pub fn detail(self, detail: &'a str) -> Self {
        Self {
            detail: Some(detail),
            ..self
        }
    }
}

/// Record `line` as part of the request `ctx`: a log line and a row.
pub fn record(conn: &dyn Sql, ctx: &Ctx, line: Line<'_>) -> Result<(), ApiError> {
    let origin = &ctx.origin;
    let terminal = line.terminal.or(origin.terminal.as_deref());
    tracing::info!(
        target: "hik_cloud::audit",
        event = line.event.name(),
        user_id = line.user,
        terminal = terminal.unwrap_or("-"),
        ip = %origin.ip,
        outcome = line.outcome.name(),
        detail = line.detail.unwrap_or(""),
        "security event"
    );
    conn.defer(
        "INSERT INTO audit_events (at, user_id, event, outcome, terminal, ip, detail, sign)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            ctx.now,
            line.user,
            line.event.name(),
            line.outcome.name(),
            terminal,
            &origin.ip,
            line.detail,
            &origin.sign
        ],
    )?;
    Ok(())
}

/// The account's latest `limit` events, newest first; those from the
/// terminal whose fingerprint is `current` are marked.
pub fn recent(
    conn: &dyn Sql,
    user_id: i64,
    current: Option<&str>,
    limit: u32,
) -> Result<Vec<Entry>, ApiError> {
    let rows = conn.map(
        "SELECT at, event, outcome, terminal, ip, detail, sign FROM audit_events
         WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2",
        params![user_id, limit],
        |r| {
            let sign: Option<String> = r.get(6)?;
            Ok(Entry {
                at: r.get(0)?,
                event: r.get(1)?,
                outcome: r.get(2)?,
                terminal: r.get(3)?,
                ip: r.get(4)?,
                detail: r.get(5)?,
                current: current.is_some() && sign.as_deref() == current,
            })
        },
    )?;
    Ok(rows)
}
