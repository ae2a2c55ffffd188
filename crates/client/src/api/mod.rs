//! The cloud's HTTP API as typed calls. Every reply goes through `decode`, which
//! turns `meta.code` and HTTP 401 into `ClientError`s. The calls are grouped by
//! domain: `auth` (logged out, and the session), `account` (the logged-in
//! account's security), `devices`, and `qa` (the simulator's QA surface, a
//! client of its own).

mod account;
mod auth;
mod devices;
mod net;
mod qa;

pub use qa::QaApi;

use crate::ClientError;
use hik_proto::lang::Lang;
use hik_proto::request;
use hik_proto::wire::{Failure, Reply};
use hik_proto::{FeatureCode, ResultCode};
use serde::de::DeserializeOwned;
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
    /// The QA surface's token, when the cloud's needs one.
    qa_token: Option<String>,
    /// The language the cloud is asked to write in (`lang` header).
    lang: Arc<std::sync::RwLock<Lang>>,
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
        let http = http_client(extra_ca)?;
        Ok(Self {
            base: Arc::new(std::sync::RwLock::new(
                base.trim_end_matches('/').to_owned(),
            )),
            http,
            feature,
            skew: Arc::default(),
            qa_token: None,
            lang: Arc::default(),
        })
    }

    /// Reach the cloud's QA surface with `token` (the app's embedded cloud
    /// makes one at start).
    pub fn with_qa_token(mut self, token: Option<String>) -> Self {
        self.qa_token = token;
        self
    }

    /// Ask the cloud to write in `lang` from now on (codes, notices).
    pub fn set_lang(&self, lang: Lang) {
        if let Ok(mut l) = self.lang.write() {
            *l = lang;
        }
    }

    fn lang(&self) -> Lang {
        self.lang.read().map(|l| *l).unwrap_or_default()
    }

    pub fn base(&self) -> String {
        self.base.read().map(|b| b.clone()).unwrap_or_default()
    }

    /// Talk to another region from now on: `api_domain` is a bare
    /// `host[:port]`, reached with the scheme of the current address (an
    /// HTTPS cloud's regions are HTTPS too). An http(s) URL is taken as is.
    pub fn set_base(&self, api_domain: &str) -> Result<(), ClientError> {
        let url = net::region_url(&self.base(), api_domain)?;
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
            .header("lang", self.lang().tag())
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
                    status: res.status().as_u16(),
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
        match net::certificate_problem(e) {
            Some((why, transport)) => ClientError::Certificate {
                url: self.base(),
                why,
                transport,
            },
            None => {
                let (why, transport) = net::describe(e);
                ClientError::Unreachable {
                    url: self.base(),
                    why,
                    transport,
                }
            }
        }
    }

    /// Now on the cloud's clock (Unix seconds), as of the last reply.
    pub fn cloud_now(&self) -> i64 {
        unix(SystemTime::now()) + self.skew.load(Ordering::Relaxed)
    }

    /// The QA surface of the cloud this client talks to now, over the same
    /// connections.
    pub fn qa(&self) -> QaApi {
        QaApi::with_http(&self.base(), self.http.clone()).with_token(self.qa_token.clone())
    }
}

/// An HTTP client for the cloud: HTTPS trusts the OS's roots and the
/// certificates in `extra_ca` (PEM).
fn http_client(extra_ca: Option<&[u8]>) -> Result<reqwest::Client, ClientError> {
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
    builder
        .build()
        .map_err(|e| ClientError::Protocol(e.to_string()))
}

/// A number in the bounds its field allows, or why not.
fn bounded<const MIN: i64, const MAX: i64>(
    field: &'static str,
    n: impl Into<u64>,
) -> Result<request::Bounded<MIN, MAX>, ClientError> {
    request::Bounded::try_new(n.into()).map_err(|e| ClientError::unparsed(field, e))
}

/// Unix seconds of `t` (0 before 1970).
pub(crate) fn unix(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
