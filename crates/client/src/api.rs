//! The cloud's HTTP API as typed calls. Every reply goes through `decode`, which
//! turns `meta.code` and HTTP 401 into `ClientError`s.

use crate::ClientError;
use hik_proto::request::{
    self, AdvanceClock, CamerasQuery, ChangeEmail, ChangePassword, ChangePhone, DeleteAccount,
    DevicePageQuery, Login, OutboxQuery, PageQuery, Refresh, Request, ResetPassword,
    SendCodeLoggedIn, SendCodeLoggedOut, SignUp, Signs, SmsType, SwitchTwoStep, Text, Unbind,
    UnbindLoggedOut,
};
use hik_proto::wire::{
    AreaList, CameraList, CodeSent, DevicePage, Failure, LoggedIn, LoginUser, Outbox,
    OutboxMessage, QaFault, Refreshed, Registered, Reply, TerminalPage, TerminalStatus, UserInfo,
};
use hik_proto::{
    Account, AreaId, BizType, FeatureCode, ParseError, PasswordDigest, ResultCode, VerifyCode,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What this desktop app says about itself in every request.
const CLIENT_TYPE: &str = "9";
const CLIENT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Clone)]
pub struct CloudApi {
    /// The region's base URL; it changes when the cloud sends us elsewhere (1100).
    base: Arc<std::sync::RwLock<String>>,
    http: reqwest::Client,
    feature: FeatureCode,
    /// The cloud's clock minus ours, in seconds, from the last reply's `Date`.
    skew: Arc<AtomicI64>,
}

impl CloudApi {
    /// A client of the cloud at `base` (`http://` or `https://`). HTTPS trusts
    /// the OS's roots and the certificates in `extra_ca` (PEM), e.g. the local
    /// CA of a simulated cloud.
    pub fn new(
        base: &str,
        feature: FeatureCode,
        extra_ca: Option<&[u8]>,
    ) -> Result<Self, ClientError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20));
        if let Some(pem) = extra_ca {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| ClientError::Protocol(format!("the CA certificate: {e}")))?;
            if certs.is_empty() {
                return Err(ClientError::Protocol(
                    "the CA certificate file holds no certificate".into(),
                ));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
            .build()
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        Ok(Self {
            base: Arc::new(std::sync::RwLock::new(
                base.trim_end_matches('/').to_owned(),
            )),
            http,
            feature,
            skew: Arc::default(),
        })
    }

    pub fn base(&self) -> String {
        self.base.read().map(|b| b.clone()).unwrap_or_default()
    }

    /// Talk to another region from now on: `api_domain` is a bare
    /// `host[:port]`, reached with the scheme of the current address (an
    /// HTTPS cloud's regions are HTTPS too). An http(s) URL is taken as is.
    pub fn set_base(&self, api_domain: &str) -> Result<(), ClientError> {
        let url = region_url(&self.base(), api_domain)?;
        if let Ok(mut b) = self.base.write() {
            *b = url;
        }
        Ok(())
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        session: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base()))
            .header("clientType", CLIENT_TYPE)
            .header("featureCode", self.feature.as_str())
            .header("lang", "en-US")
            .header("clientVersion", CLIENT_VERSION)
            .header("osVersion", std::env::consts::OS);
        if let Some(s) = session {
            req = req.header("sessionId", s);
        }
        req
    }

    /// Send `req`. A read (GET) that meets a gateway error (502, 503, 504) is
    /// sent once more after a short pause: that is safe, it changes nothing.
    /// Anything else is never repeated here; people choose to try again.
    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, ClientError> {
        let is_read = req
            .try_clone()
            .and_then(|r| r.build().ok())
            .is_some_and(|r| r.method() == reqwest::Method::GET);
        let retry = if is_read { req.try_clone() } else { None };
        let res = req.send().await.map_err(|e| self.unreachable(&e))?;
        let gateway = matches!(res.status().as_u16(), 502..=504);
        match retry {
            Some(again) if gateway => {
                tracing::info!(
                    status = res.status().as_u16(),
                    "a read met a gateway error; trying once more"
                );
                tokio::time::sleep(Duration::from_millis(500)).await;
                again.send().await.map_err(|e| self.unreachable(&e))
            }
            _ => Ok(res),
        }
    }

    async fn decode<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let res = self.send(req).await?;
        if let Some(cloud_time) = res
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
        {
            self.skew.store(
                unix(cloud_time) - unix(SystemTime::now()),
                Ordering::Relaxed,
            );
        }
        match res.status().as_u16() {
            401 => return Err(ClientError::Unauthorized),
            403 => return Err(ClientError::SessionEnded),
            500..=599 => {
                return Err(ClientError::CloudFailed {
                    url: self.base(),
                    status: res.status().to_string(),
                })
            }
            _ => {}
        }
        let reply: Reply<serde_json::Value> = res
            .json()
            .await
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        if reply.meta.code == ResultCode::RefreshDead {
            return Err(ClientError::SessionEnded);
        }
        if reply.meta.code == ResultCode::Success {
            serde_json::from_value(reply.body).map_err(|e| ClientError::Protocol(e.to_string()))
        } else {
            let failure: Box<Failure> =
                Box::new(serde_json::from_value(reply.body).unwrap_or_default());
            Err(ClientError::Cloud {
                code: reply.meta.code,
                message: reply.meta.message,
                failure,
            })
        }
    }

    /// A call whose success carries nothing but `meta`.
    async fn empty(&self, req: reqwest::RequestBuilder) -> Result<(), ClientError> {
        let _: serde_json::Value = self.decode(req).await?;
        Ok(())
    }

    fn unreachable(&self, e: &reqwest::Error) -> ClientError {
        match certificate_problem(e) {
            Some(why) => ClientError::Certificate {
                url: self.base(),
                why,
            },
            None => ClientError::Unreachable {
                url: self.base(),
                why: describe(e),
            },
        }
    }

    /// Now on the cloud's clock (Unix seconds), as of the last reply.
    pub fn cloud_now(&self) -> i64 {
        unix(SystemTime::now()) + self.skew.load(Ordering::Relaxed)
    }

    pub async fn areas(&self) -> Result<AreaList, ClientError> {
        self.decode(self.request(reqwest::Method::GET, "/v3/users/area/list", None))
            .await
    }

    pub async fn send_code(
        &self,
        from: &Account,
        biz: BizType,
        area: Option<AreaId>,
    ) -> Result<CodeSent, ClientError> {
        let r = SendCodeLoggedOut {
            from: from.clone(),
            biz_type: biz,
            sms_type: None,
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

impl CloudApi {
    /// One page of the account's devices, with their status and addresses.
    pub async fn devices(
        &self,
        session: &str,
        limit: u32,
        offset: u32,
    ) -> Result<DevicePage, ClientError> {
        self.decode(
            self.request(
                reqwest::Method::GET,
                "/v3/userdevices/v1/devices/pagelist",
                Some(session),
            )
            .query(
                &DevicePageQuery {
                    group_id: request::GroupId::new(-1),
                    limit: Some(bounded("limit", limit)?),
                    offset: Some(bounded("offset", offset)?),
                    filter: None,
                }
                .write(),
            ),
        )
        .await
    }

    /// The cameras (channels) of one device.
    pub async fn cameras(&self, session: &str, serial: &str) -> Result<CameraList, ClientError> {
        self.decode(
            self.request(
                reqwest::Method::GET,
                "/v3/userdevices/v1/cameras/info",
                Some(session),
            )
            .query(
                &CamerasQuery {
                    device_serial: Text::new(serial),
                }
                .write(),
            ),
        )
        .await
    }
}

/// The logged-in account's security: profile, terminals, codes, contacts.
impl CloudApi {
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

/// The QA surface (simulator only; JSON in and out, no `meta`).
impl CloudApi {
    async fn qa_json<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let res = req.send().await.map_err(|e| self.unreachable(&e))?;
        if !res.status().is_success() {
            return Err(ClientError::Protocol(format!(
                "the QA surface answered HTTP {}",
                res.status()
            )));
        }
        res.json()
            .await
            .map_err(|e| ClientError::Protocol(e.to_string()))
    }

    pub async fn qa_clock(&self) -> Result<i64, ClientError> {
        let n: Now = self
            .qa_json(self.request(reqwest::Method::GET, "/qa/clock", None))
            .await?;
        Ok(n.now)
    }

    pub async fn qa_advance_clock(&self, seconds: u64) -> Result<i64, ClientError> {
        let n: Now = self
            .qa_json(
                self.request(reqwest::Method::POST, "/qa/clock", None).form(
                    &AdvanceClock {
                        advance_seconds: bounded("advanceSeconds", seconds)?,
                    }
                    .write(),
                ),
            )
            .await?;
        Ok(n.now)
    }

    pub async fn qa_outbox(
        &self,
        to: Option<&str>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, ClientError> {
        let q = OutboxQuery {
            to: to.map(Text::new),
            biz_type: None,
            limit: Some(bounded("limit", limit)?),
        };
        let req = self
            .request(reqwest::Method::GET, "/qa/outbox", None)
            .query(&q.write());
        let o: Outbox = self.qa_json(req).await?;
        Ok(o.messages)
    }

    pub async fn qa_faults(&self) -> Result<BTreeMap<String, QaFault>, ClientError> {
        let f: Faults = self
            .qa_json(self.request(reqwest::Method::GET, "/qa/faults", None))
            .await?;
        Ok(f.faults)
    }

    pub async fn qa_set_fault(
        &self,
        channel: &str,
        fault: QaFault,
    ) -> Result<BTreeMap<String, QaFault>, ClientError> {
        let r = request::SetFault {
            channel: Some(
                <request::Channel as request::Field>::read(channel)
                    .map_err(|e| ClientError::invalid("channel", e))?,
            ),
            delay_seconds: Some(bounded("delaySeconds", fault.delay_seconds)?),
            drop_rate: Some(
                request::Fraction::new(fault.drop_rate)
                    .ok_or_else(|| ClientError::invalid("dropRate", ParseError::Fraction))?,
            ),
            fail_next: Some(bounded("failNext", fault.fail_next)?),
            path: None,
            status: None,
            latency_ms: None,
            rate: None,
        };
        let f: Faults = self
            .qa_json(
                self.request(reqwest::Method::POST, "/qa/faults", None)
                    .form(&r.write()),
            )
            .await?;
        Ok(f.faults)
    }

    pub async fn qa_clear_faults(&self) -> Result<BTreeMap<String, QaFault>, ClientError> {
        let f: Faults = self
            .qa_json(self.request(reqwest::Method::DELETE, "/qa/faults", None))
            .await?;
        Ok(f.faults)
    }
}

/// `{"faults": {...}}` of the QA fault endpoints.
#[derive(serde::Deserialize)]
struct Faults {
    faults: BTreeMap<String, QaFault>,
}

/// `{"now": ...}` of the QA clock endpoints.
#[derive(serde::Deserialize)]
struct Now {
    now: i64,
}

/// A number in the bounds its field allows, or why not.
fn bounded<const MIN: i64, const MAX: i64>(
    field: &'static str,
    n: impl Into<u64>,
) -> Result<request::Bounded<MIN, MAX>, ClientError> {
    request::Bounded::try_new(n.into()).map_err(|e| ClientError::invalid(field, e))
}

/// The base URL for a region whose `apiDomain` is `api_domain`, keeping the
/// scheme of `current`.
fn region_url(current: &str, api_domain: &str) -> Result<String, ClientError> {
    let domain = api_domain.trim().trim_end_matches('/');
    if domain.starts_with("http://") || domain.starts_with("https://") {
        return Ok(domain.to_owned());
    }
    let usable = !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if !usable {
        return Err(ClientError::Protocol(format!(
            "the cloud named an unusable region address: {api_domain:?}"
        )));
    }
    let scheme = if current.starts_with("https://") {
        "https"
    } else {
        "http"
    };
    Ok(format!("{scheme}://{domain}"))
}

/// Why the TLS handshake refused the cloud's certificate, if that is what
/// failed. rustls's error sits inside `io::Error`s, whose `source()` skips
/// the error they wrap, so the walk steps into them.
fn certificate_problem(e: &reqwest::Error) -> Option<String> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        if let Some(rustls::Error::InvalidCertificate(why)) = err.downcast_ref::<rustls::Error>() {
            return Some(describe_certificate(why));
        }
        next = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}

fn describe_certificate(why: &rustls::CertificateError) -> String {
    use rustls::CertificateError as C;
    match why {
        C::UnknownIssuer => "it is signed by an unknown authority".into(),
        C::Expired | C::ExpiredContext { .. } => "it has expired".into(),
        C::NotValidYet | C::NotValidYetContext { .. } => "it is not valid yet".into(),
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "it was issued for another name".into()
        }
        C::Revoked => "it has been revoked".into(),
        other => format!("{other:?}"),
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "it did not answer in time".into()
    } else if e.is_connect() {
        "the connection was refused or could not be made".into()
    } else {
        e.to_string()
    }
}

/// Unix seconds of `t` (0 before 1970).
pub(crate) fn unix(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
