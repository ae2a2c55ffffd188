//! The QA surface for tests: the app's typed client, with the waiting and
//! the failing-loudly that tests want.

use crate::WAIT;
use hik_client::QaApi;
use hik_proto::qa::{AccountState, Faults};
use hik_proto::qa::{EndpointFault, OutboxMessage, QaFault};
use hik_proto::request::{QaAccount, Text};
use hik_proto::{Account, AreaId};
use std::time::{Duration, Instant};

/// One cloud instance's QA surface. Every call panics with the reason when
/// the cloud refuses it: a test that sets something up needs it done.
#[derive(Clone)]
pub struct Qa {
    api: QaApi,
}

fn account(text: &str) -> Account {
    Account::parse(text).unwrap_or_else(|e| panic!("{text:?} is not an account: {e}"))
}

impl Qa {
    pub fn new(api: QaApi) -> Self {
        Self { api }
    }

    /// The QA surface of the cloud at `url` (plain HTTP, or HTTPS trusting
    /// the OS's roots): an app's embedded cloud, say.
    pub fn at(url: &str) -> Self {
        Self::new(QaApi::with_http(url, reqwest::Client::new()))
    }

    /// The QA surface at `url` that needs `token` (the desktop app's
    /// embedded cloud), or none.
    pub fn at_with_token(url: &str, token: Option<String>) -> Self {
        Self::new(QaApi::with_http(url, reqwest::Client::new()).with_token(token))
    }

    /// The typed client itself, to see what the cloud answers to a call.
    pub fn api(&self) -> &QaApi {
        &self.api
    }

    /// The cloud's clock (Unix seconds).
    pub async fn now(&self) -> i64 {
        self.api.clock().await.unwrap()
    }

    /// Move the cloud's clock forward by `secs`; returns its new time.
    pub async fn advance_clock(&self, secs: u64) -> i64 {
        self.api.advance_clock(secs).await.unwrap()
    }

    /// Every message sent to `to`, newest first.
    pub async fn outbox(&self, to: &str) -> Vec<OutboxMessage> {
        self.api.outbox(Some(to), None, 500).await.unwrap()
    }

    /// The messages sent to `to` for `biz`, newest first.
    pub async fn outbox_for(&self, to: &str, biz: &str) -> Vec<OutboxMessage> {
        self.api.outbox(Some(to), Some(biz), 500).await.unwrap()
    }

    /// The code of the newest message to `to` for `biz`, waiting for one.
    pub async fn latest_code(&self, to: &str, biz: &str) -> String {
        let m = self.wait_for(to, biz, 1).await;
        let newest = &m[0];
        newest
            .code
            .clone()
            .unwrap_or_else(|| panic!("message without a code: {newest:?}"))
    }

    /// The code of the `n`th message (counting from 1, oldest first) to `to`
    /// for `biz`, waiting for it: after a resend, `nth_code(.., 2)` is the
    /// new code, never the old one.
    pub async fn nth_code(&self, to: &str, biz: &str, n: usize) -> String {
        let messages = self.wait_for(to, biz, n).await;
        let m = &messages[messages.len() - n];
        m.code
            .clone()
            .unwrap_or_else(|| panic!("message without a code: {m:?}"))
    }

    /// The messages to `to` for `biz`, once there are at least `n`.
    async fn wait_for(&self, to: &str, biz: &str, n: usize) -> Vec<OutboxMessage> {
        let deadline = Instant::now() + WAIT;
        loop {
            let messages = self.outbox_for(to, biz).await;
            if messages.len() >= n {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "no message {n} for {biz} to {to} in the outbox: {messages:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Wait until the newest message to `to` has `status` (`delivered`,
    /// `dropped`, `failed`, ...); returns it.
    pub async fn wait_status(&self, to: &str, status: &str) -> OutboxMessage {
        let deadline = Instant::now() + WAIT;
        loop {
            let messages = self.outbox(to).await;
            if let Some(m) = messages.first().filter(|m| m.status == status) {
                return m.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no {status} message to {to}: {messages:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Delivery faults on `channel` (`email` or `sms`) from now on.
    pub async fn set_delivery_fault(&self, channel: &str, fault: QaFault) -> Faults {
        self.api.set_delivery_fault(channel, fault).await.unwrap()
    }

    /// A fault on the protocol's requests under `path`: answered with
    /// `status` (when given) after `latency_ms`, for every request.
    pub async fn set_endpoint_fault(
        &self,
        path: &str,
        status: Option<u16>,
        latency_ms: u64,
    ) -> Faults {
        let fault = EndpointFault {
            path: path.to_owned(),
            status,
            latency_ms,
            rate: 1.0,
        };
        self.api.set_endpoint_fault(&fault).await.unwrap()
    }

    pub async fn faults(&self) -> Faults {
        self.api.faults().await.unwrap()
    }

    pub async fn clear_faults(&self) -> Faults {
        self.api.clear_faults().await.unwrap()
    }

    /// The answer to `account`'s current captcha (a client fetched it).
    pub async fn captcha_answer(&self, of: &str) -> String {
        self.api
            .captcha_answer(&account(of))
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{of} has no captcha: fetch /v3/captcha first"))
    }

    /// A ready account with the kit's password, in `area`, with two-step on
    /// and no terminal.
    pub async fn create_account(&self, of: &str, area: u32) {
        self.create(QaAccount {
            account: account(of),
            password: Text::new(crate::PASSWORD),
            area_id: Some(AreaId::new(area)),
            two_step: None,
            devices: None,
            email: None,
            phone: None,
        })
        .await;
    }

    /// A ready account, made as `spec` says.
    pub async fn create(&self, spec: QaAccount) {
        self.api.create_account(&spec).await.unwrap();
    }

    /// What the cloud knows of `of`.
    pub async fn account(&self, of: &str) -> AccountState {
        self.api.account(&account(of)).await.unwrap()
    }

    /// Set scenario `name` of the guide up, for `of` or (`None`) a fresh
    /// account; what was done, and the fresh account's password.
    pub async fn scenario(&self, name: &str, of: Option<&str>) -> hik_proto::qa::ScenarioSetUp {
        let of = of.map(account);
        self.api
            .set_up_scenario(name, of.as_ref())
            .await
            .unwrap_or_else(|e| panic!("scenario {name}: {e}"))
    }

    /// Wipe every account, code, session and message; clear the faults and
    /// the clock.
    pub async fn reset(&self) {
        self.api.reset().await.unwrap();
    }
}
