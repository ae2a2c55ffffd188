//! The audit trail: each security event is one structured log line (target
//! `hik_cloud::audit`, at `info`, so the default level shows it) and one row
//! of `audit_events`, from which an account's recent activity is listed. A
//! line names the account id, the terminal, the client's address and the
//! outcome, and never a secret: no code, password, token or fingerprint.
//!
//! The client's address comes from the request being served: the HTTP edge
//! puts it in a task-local (`Origin::scope`), `Db::call` carries it to the
//! database thread, and `record` finds it there. No flow passes it by hand.

use crate::db::{params, Sql};
use crate::error::ApiError;
use std::cell::RefCell;

/// Where the request being served comes from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The client's IP address, as the connection shows it.
    pub ip: String,
    /// The name of the terminal a logged-in request comes from.
    pub terminal: Option<String>,
    /// That terminal's fingerprint (`featureCode`), when the request names
    /// one: kept with the event, never logged.
    pub sign: Option<String>,
    /// The language the request asks for (its `lang` or `language`
    /// header): codes it has sent are written in it.
    pub lang: Option<hik_proto::lang::Lang>,
    /// The language of the reply's `meta.message`: the request's, or the
    /// cloud's `messages` setting.
    pub meta: hik_proto::lang::Lang,
}

tokio::task_local! {
    static TASK_ORIGIN: Origin;
}

thread_local! {
    static JOB_ORIGIN: RefCell<Option<Origin>> = const { RefCell::new(None) };
}

impl Origin {
    /// Serve `fut` (one request) as coming from `self`.
    pub async fn scope<F: std::future::Future>(self, fut: F) -> F::Output {
        TASK_ORIGIN.scope(self, fut).await
    }

    /// The origin of the request this task is serving, if any.
    pub fn of_task() -> Option<Origin> {
        TASK_ORIGIN.try_with(Clone::clone).ok()
    }

    /// The same origin, from the terminal whose fingerprint is `sign`.
    pub fn with_sign(self, sign: &str) -> Origin {
        Origin {
            sign: Some(sign.to_owned()),
            ..self
        }
    }

    /// Run a database job `f` as part of the request from `origin`.
    pub fn run_as<R>(origin: Option<Origin>, f: impl FnOnce() -> R) -> R {
        let before = JOB_ORIGIN.with(|o| o.replace(origin));
        let result = f();
        JOB_ORIGIN.with(|o| o.replace(before));
        result
    }

    pub(crate) fn current() -> Origin {
        JOB_ORIGIN
            .with(|o| o.borrow().clone())
            .or_else(Self::of_task)
            .unwrap_or_default()
    }
}

/// A security event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    RefreshReuse,
    FamilyRevoked,
    AccountDeleted,
}

impl Event {
    pub const fn name(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::CaptchaRequired => "captcha_required",
            Self::AccountLocked => "account_locked",
            Self::AccountUnlocked => "account_unlocked",
            Self::CodeSent => "code_sent",
            Self::CodeWrong => "code_wrong",
            Self::CodeBurned => "code_burned",
            Self::TerminalBound => "terminal_bound",
            Self::TerminalRemoved => "terminal_removed",
            Self::PasswordChanged => "password_changed",
            Self::PasswordReset => "password_reset",
            Self::EmailChanged => "email_changed",
            Self::PhoneChanged => "phone_changed",
            Self::TwoStepSwitched => "two_step_switched",
            Self::ContactTested => "contact_tested",
            Self::RefreshReuse => "refresh_token_reused",
            Self::FamilyRevoked => "token_family_revoked",
            Self::AccountDeleted => "account_deleted",
        }
    }
}

/// One event as recorded (the QA surface and, later, the app show these).
pub use hik_proto::wire::Activity as Entry;

/// Record `event` for `user_id` (none when no account is known), from
/// `terminal` (a terminal's name, when the flow knows it), with its
/// `outcome` (`ok`, `refused`, ...) and a `detail` that holds no secret.
pub fn record(
    conn: &dyn Sql,
    now: i64,
    user_id: Option<i64>,
    terminal: Option<&str>,
    event: Event,
    outcome: &str,
    detail: Option<&str>,
) -> Result<(), ApiError> {
    let origin = Origin::current();
    let terminal = terminal.or(origin.terminal.as_deref());
    tracing::info!(
        target: "hik_cloud::audit",
        event = event.name(),
        user_id,
        terminal = terminal.unwrap_or("-"),
        ip = %origin.ip,
        outcome,
        detail = detail.unwrap_or(""),
        "security event"
    );
    conn.defer(
        "INSERT INTO audit_events (at, user_id, event, outcome, terminal, ip, detail, sign)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            now,
            user_id,
            event.name(),
            outcome,
            terminal,
            origin.ip,
            detail,
            origin.sign
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
