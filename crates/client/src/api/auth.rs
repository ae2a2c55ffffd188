//! The calls made logged out, and the session's own: areas, codes, sign-up,
//! login, captcha, 1069's removal, password reset, refresh, logout, profile.

use super::CloudApi;
use crate::ClientError;
use hik_proto::request::{
    self, Login, Refresh, Request, ResetPassword, SendCodeLoggedOut, SignUp, Signs, SmsType, Text,
    UnbindLoggedOut,
};
use hik_proto::wire::{AreaList, CodeSent, LoggedIn, LoginUser, Refreshed, Registered, UserInfo};
use hik_proto::{Account, AreaId, BizType, FeatureCode, PasswordDigest, VerifyCode};

impl CloudApi {
    pub async fn areas(&self) -> Result<AreaList, ClientError> {
        self.decode(self.request(reqwest::Method::GET, "/v3/users/area/list", None))
            .await
    }

    /// A code while logged out, for `from`: to its email or phone as
    /// `sms_type` asks (3 or 1; the cloud picks when `None`), in `area` for a
    /// sign-up.
    pub async fn send_code(
        &self,
        from: &Account,
        biz: BizType,
        area: Option<AreaId>,
        sms_type: Option<u8>,
    ) -> Result<CodeSent, ClientError> {
        let r = SendCodeLoggedOut {
            from: from.clone(),
            biz_type: biz,
            sms_type: sms_type.and_then(SmsType::from_number),
            area_id: area,
        };
        self.decode(
            self.request(reqwest::Method::POST, "/v3/sms/nologin/checkcode", None)
                .form(&r.write()),
        )
        .await
    }

    pub async fn register(
        &self,
        account: &Account,
        digest: &PasswordDigest,
        area: AreaId,
        phone_code: Option<&str>,
        code: &VerifyCode,
    ) -> Result<LoginUser, ClientError> {
        let r = SignUp {
            account: account.clone(),
            password: digest.clone(),
            area_id: area,
            phone_code: phone_code.map(Text::new),
            sms_code: code.clone(),
            user_name: None,
        };
        let r: Registered = self
            .decode(
                self.request(reqwest::Method::POST, "/v3/users/regist/v2", None)
                    .form(&r.write()),
            )
            .await?;
        Ok(r.login_user)
    }

    pub async fn login(
        &self,
        account: &Account,
        digest: &PasswordDigest,
        terminal_name: &str,
        code: Option<&VerifyCode>,
        captcha: Option<&str>,
    ) -> Result<LoggedIn, ClientError> {
        use base64::Engine;
        let r = Login {
            account: account.clone(),
            password: digest.clone(),
            feature_code: Some(self.feature.clone()),
            cu_name: Some(Text::new(
                base64::engine::general_purpose::STANDARD.encode(terminal_name),
            )),
            sms_code: code.cloned(),
            // As the public clients send them with a code.
            msg_type: code.map(|_| Text::new("3")),
            biz_type: code.map(|_| Text::new(BizType::TerminalBind.as_str())),
            image_code: captcha.map(Text::new),
        };
        self.decode(
            self.request(reqwest::Method::POST, "/v3/users/login/v2", None)
                .form(&r.write()),
        )
        .await
    }

    /// A new captcha picture (PNG bytes) for `account`; it replaces the last one.
    pub async fn captcha(&self, account: &Account) -> Result<Vec<u8>, ClientError> {
        let res = self
            .request(reqwest::Method::GET, "/v3/captcha", None)
            .query(
                &request::CaptchaQuery {
                    account: Some(Text::new(account.as_str())),
                    feature_code: Some(Text::new(self.feature.as_str())),
                }
                .write(),
            )
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        let is_png = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"image/png"));
        if !res.status().is_success() || !is_png {
            return Err(ClientError::Protocol(format!(
                "the captcha came back as HTTP {} without a picture",
                res.status()
            )));
        }
        let bytes = res.bytes().await.map_err(|e| self.unreachable(&e))?;
        Ok(bytes.to_vec())
    }

    /// 1069: remove terminals with the login's `tempId` and a `TERMINAL_DELETE` code.
    pub async fn unbind_logged_out(
        &self,
        temp_id: &str,
        signs: &[FeatureCode],
        code: &VerifyCode,
    ) -> Result<(), ClientError> {
        let r = UnbindLoggedOut {
            temp_id: Text::new(temp_id),
            signs: Signs::new(signs.to_vec()),
            sms_code: code.clone(),
        };
        self.empty(
            self.request(reqwest::Method::POST, "/v3/terminals/nologin", None)
                .form(&r.write()),
        )
        .await
    }

    /// A forgotten password: the new one, with a `RETRIEVE_PASSWORD` code.
    pub async fn reset_password(
        &self,
        account: &Account,
        digest: &PasswordDigest,
        code: &VerifyCode,
    ) -> Result<(), ClientError> {
        let r = ResetPassword {
            account: account.clone(),
            password: digest.clone(),
            sms_code: code.clone(),
        };
        self.empty(
            self.request(reqwest::Method::POST, "/v3/users/password/reset", None)
                .form(&r.write()),
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<Refreshed, ClientError> {
        let r = Refresh {
            refresh_session_id: Some(Text::new(refresh_token)),
            feature_code: Some(self.feature.clone()),
        };
        self.decode(
            self.request(reqwest::Method::PUT, "/v3/apigateway/login", None)
                .form(&r.write()),
        )
        .await
    }

    pub async fn logout(&self, session: &str) -> Result<(), ClientError> {
        self.empty(self.request(
            reqwest::Method::DELETE,
            "/v3/users/logout/v2",
            Some(session),
        ))
        .await
    }

    /// The profile: the account as login names it, and its masked contacts.
    pub async fn user_info(&self, session: &str) -> Result<UserInfo, ClientError> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Info {
            user_info: UserInfo,
        }
        let i: Info = self
            .decode(self.request(reqwest::Method::GET, "/v3/users/info", Some(session)))
            .await?;
        Ok(i.user_info)
    }
}
