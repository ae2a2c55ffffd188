//! `meta.code` values (docs/protocol.md, "Result codes").

use serde::{Deserialize, Serialize};

/// A business outcome as carried in `meta.code`. Unknown numbers survive a round
/// trip so a newer cloud never breaks an older client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "u32", into = "u32")]
pub enum ResultCode {
    Success,
    WrongCode,
    CodeDead,
    AccountMissing,
    WrongPassword,
    AccountProtected,
    LastTry,
    TooOften,
    TooManyTerminals,
    WrongRegion,
    NewTerminal,
    SensitiveOperation,
    /// The refresh token is unknown, expired, revoked or reused: log in again
    /// (HTTP 200 with 403 in `meta.code`, as the public clients expect).
    RefreshDead,
    AccountExists,
    WeakPassword,
    InvalidAccount,
    AddressTaken,
    /// Request fields missing or malformed (simulator-defined, HTTP 200 with this code).
    BadRequest,
    Other(u32),
}

impl ResultCode {
    pub const fn number(self) -> u32 {
        match self {
            Self::Success => 200,
            Self::WrongCode => 1011,
            Self::CodeDead => 1012,
            Self::AccountMissing => 1013,
            Self::WrongPassword => 1014,
            Self::AccountProtected => 1015,
            Self::LastTry => 1043,
            Self::TooOften => 1041,
            Self::TooManyTerminals => 1069,
            Self::WrongRegion => 1100,
            Self::NewTerminal => 6002,
            Self::SensitiveOperation => 80000,
            Self::RefreshDead => 403,
            Self::AccountExists => 2001,
            Self::WeakPassword => 2002,
            Self::InvalidAccount => 2003,
            Self::AddressTaken => 2004,
            Self::BadRequest => 2005,
            Self::Other(n) => n,
        }
    }

    /// The English message the cloud puts in `meta.message`.
    pub const fn message(self) -> &'static str {
        match self {
            Self::Success => "Operation succeeded.",
            Self::WrongCode => "The verification code is incorrect.",
            Self::CodeDead => "The verification code is no longer valid. Request a new code.",
            Self::AccountMissing => "This account does not exist.",
            Self::WrongPassword => "The password is incorrect.",
            Self::AccountProtected => "The account is protected. Try again later.",
            Self::LastTry => "The verification code is incorrect. One try left.",
            Self::TooOften => "Verification codes were requested too often. Try again later.",
            Self::TooManyTerminals => "Too many terminals are bound to this account.",
            Self::WrongRegion => "This account belongs to another region.",
            Self::NewTerminal => {
                "This terminal is new. Enter the verification code sent to your account."
            }
            Self::SensitiveOperation => "This operation needs a verification code.",
            Self::RefreshDead => "The refresh token is invalid, expired or revoked. Log in again.",
            Self::AccountExists => "An account with this address already exists.",
            Self::WeakPassword => "The password does not meet the password policy.",
            Self::InvalidAccount => "Enter a valid email address or phone number.",
            Self::AddressTaken => "This address is already used by another account.",
            Self::BadRequest => "The request is missing a field or has a malformed one.",
            Self::Other(_) => "Unknown result.",
        }
    }
}

impl ResultCode {
    /// The message the cloud puts in `meta.message`, in `lang`: the real
    /// service writes Chinese ones (as public clients' logs show them).
    pub const fn message_in(self, lang: crate::lang::Lang) -> &'static str {
        if matches!(lang, crate::lang::Lang::En) {
            return self.message();
        }
        match self {
            Self::Success => "操作成功",
            Self::WrongCode => "验证码错误",
            Self::CodeDead => "验证码已失效，请重新获取",
            Self::AccountMissing => "用户不存在",
            Self::WrongPassword => "密码错误",
            Self::AccountProtected => "账户已被保护，请稍后再试",
            Self::LastTry => "验证码错误，还可尝试一次",
            Self::TooOften => "获取验证码过于频繁，请稍后再试",
            Self::TooManyTerminals => "绑定的终端数量已达上限",
            Self::WrongRegion => "该账户属于其他区域",
            Self::NewTerminal => "新终端登录，请输入发送到您账户的验证码",
            Self::SensitiveOperation => "此操作需要验证码",
            Self::RefreshDead => "刷新令牌无效、已过期或已撤销，请重新登录",
            Self::AccountExists => "该账户已存在",
            Self::WeakPassword => "密码不符合密码规则",
            Self::InvalidAccount => "请输入有效的邮箱地址或手机号码",
            Self::AddressTaken => "该地址已被其他账户使用",
            Self::BadRequest => "请求缺少参数或参数格式错误",
            Self::Other(_) => "未知结果",
        }
    }
}

impl From<u32> for ResultCode {
    fn from(n: u32) -> Self {
        const KNOWN: [ResultCode; 18] = [
            ResultCode::Success,
            ResultCode::WrongCode,
            ResultCode::CodeDead,
            ResultCode::AccountMissing,
            ResultCode::WrongPassword,
            ResultCode::AccountProtected,
            ResultCode::LastTry,
            ResultCode::TooOften,
            ResultCode::TooManyTerminals,
            ResultCode::WrongRegion,
            ResultCode::NewTerminal,
            ResultCode::SensitiveOperation,
            ResultCode::RefreshDead,
            ResultCode::AccountExists,
            ResultCode::WeakPassword,
            ResultCode::InvalidAccount,
            ResultCode::AddressTaken,
            ResultCode::BadRequest,
        ];
        KNOWN
            .into_iter()
            .find(|c| c.number() == n)
            .unwrap_or(ResultCode::Other(n))
    }
}

impl From<ResultCode> for u32 {
    fn from(c: ResultCode) -> u32 {
        c.number()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_unknown_ones_survive() {
        for n in [
            200, 403, 1011, 1012, 1013, 1014, 1015, 1041, 1043, 1069, 1100, 6002, 2001, 2004,
        ] {
            assert_eq!(ResultCode::from(n).number(), n);
            assert!(!matches!(ResultCode::from(n), ResultCode::Other(_)), "{n}");
        }
        assert_eq!(ResultCode::from(4242), ResultCode::Other(4242));
        let json = serde_json::to_string(&ResultCode::NewTerminal).unwrap_or_default();
        assert_eq!(json, "6002");
    }
}
