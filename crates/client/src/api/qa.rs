//! The simulator's QA surface (docs/protocol.md, "The QA surface") as typed calls: read
//! what was sent, move the clock, set faults, make and inspect accounts,
//! reset. Plain JSON in and out, no `meta`. The app's QA drawer and the test
//! kit both use this one client.

use crate::ClientError;
use hik_proto::qa::{
    AccountState, CaptchaAnswer, Clock, CreatedAccount, Faults, Reset, ScenarioInfo, ScenarioSetUp,
};
use hik_proto::qa::{EndpointFault, Outbox, OutboxMessage, QaFault};
use hik_proto::request::{self, AdvanceClock, OutboxQuery, QaAccount, Request, SetFault, Text};
use hik_proto::{Account, ParseError};
use serde::de::DeserializeOwned;

/// A client of one cloud instance's QA surface.
#[derive(Clone)]
pub struct QaApi {
    base: String,
    http: reqwest::Client,
    /// Sent as `X-Hik-Qa-Token` when the cloud's QA surface needs one.
    token: Option<String>,
}

impl QaApi {
    /// The QA surface of the cloud at `base`; HTTPS trusts the OS's roots and
    /// the certificates in `extra_ca` (PEM).
    pub fn new(base: &str, extra_ca: Option<&[u8]>) -> Result<Self, ClientError> {
        Ok(Self::with_http(base, super::http_client(extra_ca)?))
    }

    /// The QA surface at `base`, over an HTTP client of the caller's.
    pub fn with_http(base: &str, http: reqwest::Client) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
            token: None,
        }
    }

    /// Send `token` with every request (a cloud whose QA surface needs one).
    pub fn with_token(mut self, token: Option<String>) -> Self {
        self.token = token;
        self
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        form: Option<Vec<(&'static str, String)>>,
    ) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.base);
        let mut req = self.http.request(method.clone(), url);
        if let Some(token) = &self.token {
            req = req.header("X-Hik-Qa-Token", token);
        }
        if let Some(form) = form {
            req = if method == reqwest::Method::GET {
                req.query(&form)
            } else {
                req.form(&form)
            };
        }
        let res = req.send().await.map_err(|e| {
            let (why, transport) = super::net::describe(&e);
            ClientError::Unreachable {
                url: self.base.clone(),
                why,
                transport,
            }
        })?;
        let status = res.status();
        if !status.is_success() {
            let body = res.text().await.unwrap_or_default();
            return Err(ClientError::Protocol(format!(
                "the QA surface answered {path} with HTTP {status}: {}",
                body.chars().take(300).collect::<String>()
            )));
        }
        res.json()
            .await
            .map_err(|e| ClientError::Protocol(format!("{path}: {e}")))
    }

    /// The cloud's clock (Unix seconds).
    pub async fn clock(&self) -> Result<i64, ClientError> {
        let c: Clock = self.call(reqwest::Method::GET, "/qa/clock", None).await?;
        Ok(c.now)
    }

    /// Move the cloud's clock forward; returns its new time.
    pub async fn advance_clock(&self, seconds: u64) -> Result<i64, ClientError> {
        let r = AdvanceClock {
            advance_seconds: bounded("advanceSeconds", seconds)?,
        };
        let c: Clock = self
            .call(reqwest::Method::POST, "/qa/clock", Some(r.write()))
            .await?;
        Ok(c.now)
    }

    /// Messages sent, newest first: to `to` (every address when `None`), for
    /// `biz` (a `bizType`, or every one), at most `limit`.
    pub async fn outbox(
        &self,
        to: Option<&str>,
        biz: Option<&str>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, ClientError> {
        let q = OutboxQuery {
            to: to.map(Text::new),
            biz_type: biz.map(Text::new),
            limit: Some(bounded("limit", limit)?),
        };
        let o: Outbox = self
            .call(reqwest::Method::GET, "/qa/outbox", Some(q.write()))
            .await?;
        Ok(o.messages)
    }

    /// The faults in force.
    pub async fn faults(&self) -> Result<Faults, ClientError> {
        self.call(reqwest::Method::GET, "/qa/faults", None).await
    }

    /// Delivery faults on `channel` (`email` or `sms`) from now on.
    pub async fn set_delivery_fault(
        &self,
        channel: &str,
        fault: QaFault,
    ) -> Result<Faults, ClientError> {
        let r = SetFault {
            channel: Some(
                <request::Channel as request::Field>::read(channel)
                    .map_err(|e| ClientError::unparsed("channel", e))?,
            ),
            delay_seconds: Some(bounded("delaySeconds", fault.delay_seconds)?),
            drop_rate: Some(fraction("dropRate", fault.drop_rate)?),
            fail_next: Some(bounded("failNext", fault.fail_next)?),
            path: None,
            status: None,
            latency_ms: None,
            rate: None,
        };
        self.set_fault(&r).await
    }

    /// A fault on the protocol's requests whose path starts with `fault.path`.
    pub async fn set_endpoint_fault(&self, fault: &EndpointFault) -> Result<Faults, ClientError> {
        let status = fault
            .status
            .map(|s| {
                <request::FaultStatus as request::Field>::read(&s.to_string())
                    .map_err(|e| ClientError::unparsed("status", e))
            })
            .transpose()?;
        let r = SetFault {
            channel: None,
            delay_seconds: None,
            drop_rate: None,
            fail_next: None,
            path: Some(Text::new(&fault.path)),
            status,
            latency_ms: Some(bounded("latencyMs", fault.latency_ms)?),
            rate: Some(fraction("rate", fault.rate)?),
        };
        self.set_fault(&r).await
    }

    /// Any fault, as `POST /qa/faults` takes it.
    pub async fn set_fault(&self, fault: &SetFault) -> Result<Faults, ClientError> {
        self.call(reqwest::Method::POST, "/qa/faults", Some(fault.write()))
            .await
    }

    pub async fn clear_faults(&self) -> Result<Faults, ClientError> {
        self.call(reqwest::Method::DELETE, "/qa/faults", None).await
    }

    /// The answer of `account`'s current captcha (`None` before one was drawn).
    pub async fn captcha_answer(&self, account: &Account) -> Result<Option<String>, ClientError> {
        let q = request::CaptchaAnswerQuery {
            account: account.clone(),
        };
        let a: CaptchaAnswer = self
            .call(reqwest::Method::GET, "/qa/captcha", Some(q.write()))
            .await?;
        Ok(a.answer)
    }

    /// A ready account, no code needed.
    pub async fn create_account(&self, account: &QaAccount) -> Result<CreatedAccount, ClientError> {
        self.call(reqwest::Method::POST, "/qa/accounts", Some(account.write()))
            .await
    }

    /// What the cloud knows of `account`.
    pub async fn account(&self, account: &Account) -> Result<AccountState, ClientError> {
        let path = format!("/qa/accounts/{}", account.as_str());
        self.call(reqwest::Method::GET, &path, None).await
    }

    /// The scenarios the QA surface can set up in one step.
    pub async fn scenarios(&self) -> Result<Vec<ScenarioInfo>, ClientError> {
        #[derive(serde::Deserialize)]
        struct List {
            scenarios: Vec<ScenarioInfo>,
        }
        let l: List = self
            .call(reqwest::Method::GET, "/qa/scenarios", None)
            .await?;
        Ok(l.scenarios)
    }

    /// Set scenario `name` up, for `account` or (`None`) a fresh account.
    pub async fn set_up_scenario(
        &self,
        name: &str,
        account: Option<&Account>,
    ) -> Result<ScenarioSetUp, ClientError> {
        let q = request::ScenarioQuery {
            account: account.cloned(),
        };
        let path = format!("/qa/scenarios/{name}");
        self.call(reqwest::Method::POST, &path, Some(q.write()))
            .await
    }

    /// Wipe every account, code, session and message; clear the faults and
    /// the clock. Returns the clock after.
    pub async fn reset(&self) -> Result<i64, ClientError> {
        let r: Reset = self.call(reqwest::Method::POST, "/qa/reset", None).await?;
        Ok(r.now)
    }
}

fn bounded<const MIN: i64, const MAX: i64>(
    field: &'static str,
    n: impl Into<u64>,
) -> Result<request::Bounded<MIN, MAX>, ClientError> {
    super::bounded(field, n)
}

fn fraction(field: &'static str, f: f64) -> Result<request::Fraction, ClientError> {
    request::Fraction::new(f).ok_or_else(|| ClientError::unparsed(field, ParseError::Fraction))
}
