//! Security notices (OWASP ASVS 4.0.3, 2.2.3): after a change that matters to
//! the account's safety, the cloud tells its owner, at every address the
//! account has (and, for a contact change, at the old address as well as the
//! new). A notice carries no code; its `bizType` in the outbox is
//! `SECURITY_NOTICE`, and it goes through the same delivery (and QA faults) as
//! a code.

use crate::context::Ctx;
use crate::db::Sql;
use crate::delivery::outbox::{Channel, NewMessage};
use crate::delivery::Postman;
use crate::error::ApiError;
use hik_proto::lang::Lang;
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
    fn title(self, lang: Lang) -> &'static str {
        if lang == Lang::Zh {
            return match self {
                Self::TerminalBound(_) => "新终端可以使用您的账户",
                Self::PasswordChanged => "您的密码已修改",
                Self::PasswordReset => "您的密码已重置",
                Self::EmailChanged(_) => "您账户的邮箱已更改",
                Self::PhoneChanged(_) => "您账户的手机号码已更改",
                Self::TwoStepOff => "两步验证已关闭",
                Self::AccountDeleted => "您的账户已注销",
            };
        }
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

    /// The same in Chinese.
    fn what_zh(self, when: &str, ip: &str) -> String {
        let from = if ip.is_empty() {
            String::new()
        } else {
            format!("（来自 {ip}）")
        };
        match self {
            Self::TerminalBound(name) => {
                format!("{when}{from}，终端“{name}”已添加到您 Hik-Connect 账户的受信任终端。")
            }
            Self::PasswordChanged => format!("{when}{from}，您的 Hik-Connect 密码已修改。"),
            Self::PasswordReset => {
                format!("{when}{from}，您的 Hik-Connect 密码已通过验证码重置，所有会话均已结束。")
            }
            Self::EmailChanged(to) => {
                format!("{when}{from}，您 Hik-Connect 账户的邮箱已更改为 {to}。")
            }
            Self::PhoneChanged(to) => {
                format!("{when}{from}，您 Hik-Connect 账户的手机号码已更改为 {to}。")
            }
            Self::TwoStepOff => {
                format!("{when}{from}，两步验证已关闭：新终端现在无需验证码即可登录。")
            }
            Self::AccountDeleted => {
                format!("{when}{from}，您的 Hik-Connect 账户及其终端和设备已注销。")
            }
        }
    }

    fn advice_zh(self) -> &'static str {
        match self {
            Self::AccountDeleted => "如果不是您本人操作，请立即联系 Hik-Connect 客服。",
            Self::PasswordChanged | Self::PasswordReset => {
                "如果不是您本人操作，请立即通过“忘记密码”重置密码。"
            }
            _ => "如果不是您本人操作，请立即修改密码，并在“账户安全”中检查受信任终端。",
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

    /// Subject and body on `channel`, in `lang`.
    fn message(self, channel: Channel, now: i64, ip: &str, lang: Lang) -> (String, String) {
        if lang == Lang::Zh {
            let text = format!("{}{}", self.what_zh(&when_zh(now), ip), self.advice_zh());
            return match channel {
                Channel::Email => (
                    format!("Hik-Connect 安全通知：{}", self.title(lang)),
                    format!("您好：\n\n{text}\n\nHik-Connect 团队（模拟）"),
                ),
                Channel::Sms => ("Hik-Connect".into(), format!("【Hik-Connect】{text}")),
            };
        }
        let when = when(now);
        let text = format!("{} {}", self.what(&when, ip), self.advice());
        match channel {
            Channel::Email => (
                format!("Hik-Connect security notice: {}", self.title(lang)),
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

/// `2026年11月29日 16:11:38 (UTC)`, from the HTTP date.
fn when_zh(now: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let http = when(now);
    let parts: Vec<&str> = http.split_whitespace().collect();
    match parts.as_slice() {
        [_, day, month, year, time, _] => {
            let m = MONTHS.iter().position(|x| x == month).map_or(0, |i| i + 1);
            format!(
                "{year}年{m}月{}日 {time}（UTC）",
                day.trim_start_matches('0')
            )
        }
        _ => http,
    }
}

/// Post `notice` to each of `to`, in `lang` (the account's), as part of the
/// caller's transaction.
pub fn post(
    conn: &dyn Sql,
    postman: &Postman,
    ctx: &Ctx,
    to: &[Account],
    notice: Notice<'_>,
    lang: Lang,
) -> Result<(), ApiError> {
    let (now, ip) = (ctx.now, &ctx.origin.ip);
    for address in to {
        let channel = Channel::of(address);
        let (subject, body) = notice.message(channel, now, ip, lang);
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
            Notice::TerminalBound("Office PC").message(Channel::Email, 0, "192.0.2.7", Lang::En);
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
        let (_, sms) =
            Notice::EmailChanged("n***@example.com").message(Channel::Sms, 0, "", Lang::En);
        assert!(sms.starts_with("[Hik-Connect] Your Hik-Connect account's email was changed to n***@example.com on Thu, 01 Jan 1970 00:00:00 GMT."), "{sms}");
    }

    #[test]
    fn a_chinese_account_reads_its_notices_in_chinese() {
        let (subject, body) =
            Notice::TerminalBound("办公室电脑").message(Channel::Email, 0, "192.0.2.7", Lang::Zh);
        assert_eq!(subject, "Hik-Connect 安全通知：新终端可以使用您的账户");
        assert!(body.starts_with("您好："), "{body}");
        assert!(
            body.contains("1970年1月1日 00:00:00（UTC）（来自 192.0.2.7），终端“办公室电脑”"),
            "{body}"
        );
        let (_, sms) = Notice::PasswordChanged.message(Channel::Sms, 0, "", Lang::Zh);
        assert!(sms.starts_with("【Hik-Connect】1970年1月1日"), "{sms}");
        assert!(!sms.contains("GMT"), "{sms}");
    }
}
