//! The logged-in account's security: terminals, two-step, codes, password,
//! contacts, deletion.

use super::{bounded, CloudApi};
use crate::ClientError;
use hik_proto::request::{
    ActivityQuery, ChangeEmail, ChangePassword, ChangePhone, DeleteAccount, PageQuery, Request,
    SendCodeLoggedIn, Signs, SmsType, SwitchTwoStep, Text, Unbind,
};
use hik_proto::wire::Activity;
use hik_proto::wire::{ActivityList, CodeSent, TerminalPage, TerminalStatus};
use hik_proto::{Account, BizType, FeatureCode, PasswordDigest, VerifyCode};

/// The logged-in account's security: profile, terminals, codes, contacts.
impl CloudApi {
    /// The account's latest security events, newest first, this terminal's
    /// marked (simulator-defined).
    pub async fn activity(&self, session: &str, limit: u32) -> Result<Vec<Activity>, ClientError> {
        let list: ActivityList = self
            .decode(
                self.request(reqwest::Method::GET, "/v3/users/activity", Some(session))
                    .query(
                        &ActivityQuery {
                            limit: Some(bounded("limit", limit)?),
                        }
                        .write(),
                    ),
            )
            .await?;
        Ok(list.activity)
    }

    /// A `CONTACT_TEST` code typed back (simulator-defined).
    pub async fn test_contact(&self, session: &str, code: &VerifyCode) -> Result<(), ClientError> {
        let r = hik_proto::request::ContactTest {
            sms_code: code.clone(),
        };
        self.empty(
            self.request(
                reqwest::Method::POST,
                "/v3/users/contact/test",
                Some(session),
            )
            .form(&r.write()),
        )
        .await
    }

    pub async fn terminal_status(&self, session: &str) -> Result<TerminalStatus, ClientError> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct S {
            terminal_status: TerminalStatus,
        }
        let s: S = self
            .decode(self.request(reqwest::Method::GET, "/v3/terminals/status", Some(session)))
            .await?;
        Ok(s.terminal_status)
    }

    pub async fn terminals(
        &self,
        session: &str,
        limit: u32,
        offset: u32,
    ) -> Result<TerminalPage, ClientError> {
        self.decode(
            self.request(reqwest::Method::GET, "/v3/terminals", Some(session))
                .query(
                    &PageQuery {
                        limit: Some(bounded("limit", limit)?),
                        offset: Some(bounded("offset", offset)?),
                    }
                    .write(),
                ),
        )
        .await
    }

    /// A code for a logged-in operation: to the account's email or phone
    /// (`sms_type` 3 or 1), or to `contact` for a new address.
    pub async fn send_code_logged_in(
        &self,
        session: &str,
        biz: BizType,
        sms_type: Option<u8>,
        contact: Option<&str>,
    ) -> Result<CodeSent, ClientError> {
        let r = SendCodeLoggedIn {
            biz_type: biz,
            sms_type: sms_type.and_then(SmsType::from_number),
            contact: contact.map(Text::new),
        };
        self.decode(
            self.request(
                reqwest::Method::POST,
                "/v3/users/checkcode/mt",
                Some(session),
            )
            .form(&r.write()),
        )
        .await
    }

    pub async fn switch_two_step(
        &self,
        session: &str,
        enable: bool,
        code: Option<&VerifyCode>,
    ) -> Result<(), ClientError> {
        let r = SwitchTwoStep {
            enable,
            sms_code: code.cloned(),
        };
        self.empty(
            self.request(reqwest::Method::PUT, "/v3/terminals/status", Some(session))
                .form(&r.write()),
        )
        .await
    }

    pub async fn unbind(
        &self,
        session: &str,
        signs: &[FeatureCode],
        code: Option<&VerifyCode>,
    ) -> Result<(), ClientError> {
        let r = Unbind {
            signs: Signs::new(signs.to_vec()),
            sms_code: code.cloned(),
        };
        self.empty(
            self.request(reqwest::Method::POST, "/v3/terminals/unbind", Some(session))
                .form(&r.write()),
        )
        .await
    }

    pub async fn change_password(
        &self,
        session: &str,
        old: &PasswordDigest,
        new: &PasswordDigest,
    ) -> Result<(), ClientError> {
        let r = ChangePassword {
            old_password: old.clone(),
            new_password: new.clone(),
        };
        self.empty(
            self.request(
                reqwest::Method::POST,
                "/v3/users/password/mod",
                Some(session),
            )
            .form(&r.write()),
        )
        .await
    }

    /// Move the account's email (`Account::Email`) or phone to `to`, with the
    /// code sent there and the one sent to the current contact.
    pub async fn change_contact(
        &self,
        session: &str,
        to: &Account,
        phone_code: Option<&str>,
        new_code: &VerifyCode,
        old_code: &VerifyCode,
        old_sms_type: u8,
    ) -> Result<(), ClientError> {
        let old_sms_type = SmsType::from_number(old_sms_type);
        let (path, form) = match to {
            Account::Email(email) => (
                "/v3/users/email",
                ChangeEmail {
                    email: email.clone(),
                    sms_code: new_code.clone(),
                    old_sms_code: old_code.clone(),
                    old_sms_type,
                    sms_type: None,
                }
                .write(),
            ),
            Account::Phone(phone) => (
                "/v3/users/phone",
                ChangePhone {
                    phone: phone.clone(),
                    phone_code: phone_code.map(Text::new),
                    sms_code: new_code.clone(),
                    old_sms_code: old_code.clone(),
                    old_sms_type,
                    sms_type: None,
                }
                .write(),
            ),
        };
        self.empty(
            self.request(reqwest::Method::PUT, path, Some(session))
                .form(&form),
        )
        .await
    }

    pub async fn delete_account(
        &self,
        session: &str,
        code: &VerifyCode,
    ) -> Result<(), ClientError> {
        self.empty(
            self.request(reqwest::Method::DELETE, "/v3/users", Some(session))
                .query(
                    &DeleteAccount {
                        sms_code: Some(code.clone()),
                    }
                    .write(),
                ),
        )
        .await
    }
}
