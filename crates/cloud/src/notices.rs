//! Security notices (OWASP ASVS 4.0.3, 2.2.3): after a change that matters to
//! the account's safety, the cloud tells its owner, at every address the
//! account has (and, for a contact change, at the old address as well as the
//! new). A notice carries no code; its `bizType` in the outbox is
//! `SECURITY_NOTICE`, and it goes through the same delivery (and QA faults) as
//! a code.

use crate::db::Sql;
use crate::delivery::Postman;
use crate::error::ApiError;
use crate::outbox::{Channel, NewMessage};
use hik_proto::Account;

/// The outbox's `bizType` of a notice.
pub const KIND: &str = "SECURITY_NOTICE";

/// What happened.
#[derive(Debug, Clone, Copy)]
pub enum Notice<'a> {
    /// A terminal was bound to the account: its name.
    TerminalBound(&'a str),
    PasswordChanged,
    PasswordReset,
    /// The email moved to this (masked) address.
    EmailChanged(&'a str),
    /// The phone number moved to this (masked) number.
    PhoneChanged(&'a str),
    TwoStepOff,
    AccountDeleted,
}

impl Notice<'_> {
    fn title(self) -> &'static str {
        match self {
            Self::TerminalBound(_) => "a new terminal can use your account",
            Self::PasswordChanged => "your password was changed",
            Self::PasswordReset => "your password was reset",
            Self::EmailChanged(_) => "your account's email was changed",
            Self::PhoneChanged(_) => "your account's phone number was changed",
            Self::TwoStepOff => "two-step verification was turned off",
            Self::AccountDeleted => "your account was deleted",
        }
    }

    /// The sentence saying what happened, when and from where.
    fn what(self, when: &str, ip: &str) -> String {
        let from = if ip.is_empty() {
            String::new()
        } else {
            format!(" from {ip}")
        };
        match self {
            Self::TerminalBound(name) => format!(
                "The terminal \"{name}\" was added to your Hik-Connect account's trusted \
                 terminals on {when}{from}."
            ),
            Self::PasswordChanged => {
                format!("Your Hik-Connect password was changed on {when}{from}.")
            }
            Self::PasswordReset => format!(
                "Your Hik-Connect password was reset with a verification code on {when}{from}. \
                 Every session was ended."
            ),
            Self::EmailChanged(to) => {
                format!("Your Hik-Connect account's email was changed to {to} on {when}{from}.")
            }
            Self::PhoneChanged(to) => format!(
                "Your Hik-Connect account's phone number was changed to {to} on {when}{from}."
            ),
            Self::TwoStepOff => format!(
                "Two-step verification was turned off on {when}{from}: new terminals now \
                 log in without a verification code."
            ),
            Self::AccountDeleted => format!(
                "Your Hik-Connect account was deleted on {when}{from}, with its terminals and \
                 devices."
            ),
        }
    }

    /// What to do if it was not the owner.
    fn advice(self) -> &'static str {
        match self {
            Self::AccountDeleted => "If this was not you, contact Hik-Connect support at once.",
            Self::PasswordChanged | Self::PasswordReset => {
                "If this was not you, reset your password now with \"Forgot password\"."
            }
            _ => {
                "If this was not you, change your password now and review your trusted \
                 terminals in Account security."
            }
        }
    }

    /// Subject and body on `channel`.
    fn message(self, channel: Channel, now: i64, ip: &str) -> (String, String) {
        let when = when(now);
        let text = format!("{} {}", self.what(&when, ip), self.advice());
        match channel {
            Channel::Email => (
                format!("Hik-Connect security notice: {}", self.title()),
                format!("Hello,\n\n{text}\n\nThe Hik-Connect team (simulated)"),
            ),
            Channel::Sms => ("Hik-Connect".into(), format!("[Hik-Connect] {text}")),
        }
    }
}

/// `Sun, 29 Nov 2026 16:11:38 GMT`.
fn when(now: i64) -> String {
    let secs = u64::try_from(now).unwrap_or(0);
    httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

/// Post `notice` to each of `to`, as part of the caller's transaction.
pub fn post(
    conn: &dyn Sql,
    postman: &Postman,
    now: i64,
    to: &[Account],
    notice: Notice<'_>,
) -> Result<(), ApiError> {
    let ip = crate::audit::Origin::current().ip;
    for address in to {
        let channel = Channel::of(address);
        let (subject, body) = notice.message(channel, now, &ip);
        let m = NewMessage {
            channel,
            to: address.as_str(),
            biz: KIND,
            code: None,
            subject,
            body,
        };
        postman.post(conn, now, m)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_says_what_when_and_where_and_what_to_do() {
        let (subject, body) =
            Notice::TerminalBound("Office PC").message(Channel::Email, 0, "192.0.2.7");
        assert_eq!(
            subject,
            "Hik-Connect security notice: a new terminal can use your account"
        );
        assert!(body.contains("\"Office PC\""), "{body}");
        assert!(
            body.contains("Thu, 01 Jan 1970 00:00:00 GMT from 192.0.2.7"),
            "{body}"
        );
        assert!(body.contains("review your trusted terminals"), "{body}");
        let (_, sms) = Notice::EmailChanged("n***@example.com").message(Channel::Sms, 0, "");
        assert!(sms.starts_with("[Hik-Connect] Your Hik-Connect account's email was changed to n***@example.com on Thu, 01 Jan 1970 00:00:00 GMT."), "{sms}");
    }
}
