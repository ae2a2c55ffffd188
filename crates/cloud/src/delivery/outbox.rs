//! Messages the cloud sends, worded like the real service's, and the outbox table
//! they go through. With no delivery configured a message is "delivered" to the
//! outbox itself, where the QA inbox shows it.

use crate::db::{params, Sql};
use crate::error::ApiError;
use hik_proto::lang::Lang;
use hik_proto::qa::OutboxMessage;
use hik_proto::wire::Contact;
use hik_proto::{Account, BizType};

pub use hik_proto::request::Channel;

/// `ab***@example.com` or `138****5678`, with the type the client shows.
pub fn masked(account: &Account) -> Contact {
    match account {
        Account::Email(e) => {
            let (local, domain) = e.as_str().split_once('@').unwrap_or((e.as_str(), ""));
            let keep: String = local
                .chars()
                .take(if local.chars().count() > 2 { 2 } else { 1 })
                .collect();
            Contact {
                kind: Channel::Email,
                fuzzy_contact: format!("{keep}***@{domain}"),
            }
        }
        Account::Phone(p) => {
            let s = p.as_str();
            let (head, tail) = if s.len() >= 9 { (3, 4) } else { (2, 2) };
            let stars = "*".repeat(s.len().saturating_sub(head + tail));
            Contact {
                kind: Channel::Sms,
                fuzzy_contact: format!("{}{stars}{}", &s[..head], &s[s.len() - tail..]),
            }
        }
    }
}

/// The masked addresses to choose from: all of them when there are several,
/// none when there is no choice.
pub fn choice(addresses: &[Account]) -> Vec<Contact> {
    if addresses.len() < 2 {
        return Vec::new();
    }
    addresses.iter().map(masked).collect()
}

fn purpose(biz: BizType, lang: Lang) -> &'static str {
    match (lang, biz) {
        (Lang::En, BizType::UserRegistration) => "confirm your new Hik-Connect account",
        (Lang::En, BizType::TerminalBind) => "log in from a new terminal",
        (Lang::En, BizType::TerminalDelete) => "remove terminals from your account",
        (Lang::En, BizType::RetrievePassword) => "reset your password",
        (Lang::En, BizType::UserDelete) => "delete your account",
        (Lang::En, BizType::ContactTest) => "check that this address receives your codes",
        (Lang::En, _) => "change your account's contact details",
        (Lang::Zh, BizType::UserRegistration) => "确认您的新 Hik-Connect 账户",
        (Lang::Zh, BizType::TerminalBind) => "在新终端上登录",
        (Lang::Zh, BizType::TerminalDelete) => "从您的账户中删除终端",
        (Lang::Zh, BizType::RetrievePassword) => "重置密码",
        (Lang::Zh, BizType::UserDelete) => "注销您的账户",
        (Lang::Zh, BizType::ContactTest) => "确认此地址能收到您的验证码",
        (Lang::Zh, _) => "修改账户的联系方式",
    }
}

/// A message carrying `code` for `biz`.
pub fn code_message(
    channel: Channel,
    biz: BizType,
    code: &str,
    ttl_minutes: i64,
    lang: Lang,
) -> (String, String) {
    if lang == Lang::Zh {
        let purpose = purpose(biz, lang);
        return match channel {
            Channel::Email => (
                format!("Hik-Connect 验证码：{code}"),
                format!(
                    "您好：\n\n您的验证码是 {code}，用于{purpose}。\n\
                     验证码 {ttl_minutes} 分钟内有效，只能使用一次。\n\n\
                     如果不是您本人操作，可能有人知道了您的密码：请忽略此邮件，并考虑修改密码。\n\n\
                     Hik-Connect 团队（模拟）"
                ),
            ),
            Channel::Sms => (
                "Hik-Connect".into(),
                format!(
                    "【Hik-Connect】您的验证码是 {code}，{ttl_minutes} 分钟内有效，用于{purpose}。请勿泄露给他人。"
                ),
            ),
        };
    }
    match channel {
        Channel::Email => (
            format!("Hik-Connect verification code: {code}"),
            format!(
                "Hello,\n\nYour verification code is {code}. Use it to {}.\n\
                 The code is valid for {ttl_minutes} minutes and can be used once.\n\n\
                 If you did not ask for it, someone may know your password: ignore this \
                 message and consider changing it.\n\nThe Hik-Connect team (simulated)",
                purpose(biz, lang)
            ),
        ),
        Channel::Sms => (
            "Hik-Connect".into(),
            format!(
                "[Hik-Connect] Your verification code is {code}, valid for {ttl_minutes} minutes, to {}. Never share it.",
                purpose(biz, lang)
            ),
        ),
    }
}

/// The login captcha's characters, sent instead of shown in a picture.
pub fn captcha_message(
    channel: Channel,
    answer: &str,
    ttl_minutes: i64,
    lang: Lang,
) -> (String, String) {
    if lang == Lang::Zh {
        return match channel {
            Channel::Email => (
                format!("Hik-Connect 登录验证字符：{answer}"),
                format!(
                    "您好：\n\n您选择通过邮件接收登录验证字符，而不是查看图片：{answer}\n\
                     请在登录页面要求输入图片字符的地方输入。字符 {ttl_minutes} 分钟内有效，只能使用一次。\n\n\
                     如果不是您本人在登录，可能有人在猜测您的密码：请考虑修改密码。\n\n\
                     Hik-Connect 团队（模拟）"
                ),
            ),
            Channel::Sms => (
                "Hik-Connect".into(),
                format!("【Hik-Connect】登录验证字符：{answer}，{ttl_minutes} 分钟内有效，请在要求输入图片字符的地方输入。请勿泄露给他人。"),
            ),
        };
    }
    match channel {
        Channel::Email => (
            format!("Hik-Connect login check: {answer}"),
            format!(
                "Hello,\n\nYou asked for the login check by email instead of a picture. \
                 The characters are: {answer}\n\
                 Type them where the login asks for the characters in the picture. \
                 They are valid for {ttl_minutes} minutes and can be used once.\n\n\
                 If you are not logging in, someone may be guessing your password: \
                 consider changing it.\n\nThe Hik-Connect team (simulated)"
            ),
        ),
        Channel::Sms => (
            "Hik-Connect".into(),
            format!(
                "[Hik-Connect] Login check characters: {answer}, valid for {ttl_minutes} minutes. Type them where the picture's characters are asked. Never share them."
            ),
        ),
    }
}

/// Sent instead of a sign-up code when the address already has an account, so
/// the reply never reveals who is registered.
pub fn already_registered_notice(channel: Channel, lang: Lang) -> (String, String) {
    if lang == Lang::Zh {
        let body =
            "有人尝试使用此地址注册 Hik-Connect，但该地址已有账户。如果是您本人，请直接登录，\
                    或使用“忘记密码”找回账户；否则无需处理。";
        return match channel {
            Channel::Email => (
                "Hik-Connect：有人使用您的地址尝试注册".into(),
                format!("您好：\n\n{body}\n\nHik-Connect 团队（模拟）"),
            ),
            Channel::Sms => ("Hik-Connect".into(), format!("【Hik-Connect】{body}")),
        };
    }
    let body = "Someone tried to sign up for Hik-Connect with this address, which already \
                has an account. If it was you, log in, or use \"Forgot password\" to get back in. \
                Otherwise no action is needed.";
    match channel {
        Channel::Email => (
            "Hik-Connect: sign-up attempt with your address".into(),
            format!("Hello,\n\n{body}\n\nThe Hik-Connect team (simulated)"),
        ),
        Channel::Sms => ("Hik-Connect".into(), format!("[Hik-Connect] {body}")),
    }
}

pub struct NewMessage<'a> {
    pub channel: Channel,
    pub to: &'a str,
    /// A code's `BizType`, or `notices::KIND`.
    pub biz: &'a str,
    pub code: Option<&'a str>,
    pub subject: String,
    pub body: String,
}

/// Newest first, optionally only to one address and of one bizType.
pub fn list(
    conn: &dyn Sql,
    to: Option<&str>,
    biz: Option<&str>,
    limit: u32,
) -> Result<Vec<OutboxMessage>, ApiError> {
    let rows = conn.map("SELECT id, channel, to_addr, biz_type, code, subject, body, sent_at, delivered_at, status
         FROM outbox
         WHERE (CAST(?1 AS TEXT) IS NULL OR to_addr = ?1) AND (CAST(?2 AS TEXT) IS NULL OR biz_type = ?2)
         ORDER BY id DESC LIMIT ?3", params![to, biz, limit], |r| {
        Ok(OutboxMessage {
            id: r.get(0)?,
            channel: r.get(1)?,
            to: r.get(2)?,
            biz_type: r.get(3)?,
            code: r.get(4)?,
            subject: r.get(5)?,
            body: r.get(6)?,
            sent_at: r.get(7)?,
            delivered_at: r.get(8)?,
            status: r.get(9)?,
        })
    })?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_masked_like_the_real_service() {
        let m = |s: &str| {
            Account::parse(s)
                .map(|a| masked(&a).fuzzy_contact)
                .unwrap_or_default()
        };
        assert_eq!(m("abcdef@example.com"), "ab***@example.com");
        assert_eq!(m("a@example.com"), "a***@example.com");
        assert_eq!(m("13812345678"), "138****5678");
        assert_eq!(m("1234567"), "12***67");
    }
}
