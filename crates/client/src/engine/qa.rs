//! The QA drawer's side of the engine: the cloud's QA surface (docs/protocol.md
//! section 6) for the account at hand. Only clouds started with QA on serve
//! it; the engine finds out once, by asking for the cloud's clock.

use super::{Engine, State};
use crate::{ClientError, Rule};
use hik_proto::qa::{OutboxMessage, QaFault};
use hik_proto::qa::{ScenarioInfo, ScenarioSetUp};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the drawer shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct QaView {
    /// The addresses the messages are for: the logged-in account's email and
    /// phone, or the account a login or reset is under way for.
    pub addresses: Vec<String>,
    /// Newest first, at most 20.
    pub messages: Vec<OutboxMessage>,
    /// The cloud's clock (Unix seconds).
    pub cloud_now: i64,
    /// Faults in force, by channel (`email`, `sms`).
    pub faults: BTreeMap<String, QaFault>,
    /// The scenarios the cloud can set up in one step.
    pub scenarios: Vec<ScenarioInfo>,
}

impl Engine {
    /// Whether the cloud serves the QA surface (asked once, then remembered).
    pub async fn qa_available(&self) -> bool {
        if let Some(known) = self.qa.get() {
            return *known;
        }
        let available = self.api.qa().clock().await.is_ok();
        let _ = self.qa.set(available);
        available
    }

    async fn qa_guard(&self) -> Result<(), ClientError> {
        if self.qa_available().await {
            Ok(())
        } else {
            Err(ClientError::Protocol(
                "this cloud does not serve the QA surface (start hik-cloud with --qa)".into(),
            ))
        }
    }

    /// The addresses of the account at hand, if any.
    async fn qa_addresses(&self) -> Result<Vec<String>, ClientError> {
        let state = self.state.lock().await;
        let mut out: Vec<String> = match &*state {
            State::LoggedIn { home, .. } => home
                .email
                .iter()
                .chain(home.phone.iter())
                .cloned()
                .collect(),
            State::AwaitingTerminalCode { account, .. }
            | State::AwaitingTerminalRemoval { account, .. } => {
                vec![account.as_str().to_owned()]
            }
            State::LoggedOut => Vec::new(),
        };
        drop(state);
        if out.is_empty() {
            if let Some(last) = self.store.get("last_account").await? {
                if !last.is_empty() {
                    out.push(last);
                }
            }
        }
        Ok(out)
    }

    /// The drawer's contents: the latest messages for the account at hand
    /// (every message when there is none yet), the cloud's clock, the faults.
    pub async fn qa_view(&self) -> Result<QaView, ClientError> {
        self.qa_guard().await?;
        let addresses = self.qa_addresses().await?;
        let mut messages = Vec::new();
        if addresses.is_empty() {
            messages = self.api.qa().outbox(None, None, 20).await?;
        }
        for a in &addresses {
            messages.extend(self.api.qa().outbox(Some(a), None, 20).await?);
        }
        messages.sort_by_key(|m| std::cmp::Reverse(m.id));
        messages.truncate(20);
        Ok(QaView {
            addresses,
            messages,
            cloud_now: self.api.qa().clock().await?,
            faults: self.api.qa().faults().await?.faults,
            scenarios: self.api.qa().scenarios().await?,
        })
    }

    /// Move the cloud's clock forward; returns its new time.
    pub async fn qa_advance_clock(&self, seconds: u64) -> Result<i64, ClientError> {
        self.qa_guard().await?;
        if seconds == 0 || seconds > 366 * 86_400 {
            return Err(ClientError::invalid(
                "seconds",
                Rule::OutOfRange,
                "move the clock by 1 second to a year",
            ));
        }
        self.api.qa().advance_clock(seconds).await
    }

    /// Set the faults of one channel (`email` or `sms`).
    pub async fn qa_set_fault(
        &self,
        channel: &str,
        fault: QaFault,
    ) -> Result<BTreeMap<String, QaFault>, ClientError> {
        self.qa_guard().await?;
        if !matches!(channel, "email" | "sms") {
            return Err(ClientError::invalid(
                "channel",
                Rule::Malformed,
                "a channel is email or sms",
            ));
        }
        if !(0.0..=1.0).contains(&fault.drop_rate) {
            return Err(ClientError::invalid(
                "dropRate",
                Rule::OutOfRange,
                "the share of dropped messages is between 0 and 1",
            ));
        }
        Ok(self
            .api
            .qa()
            .set_delivery_fault(channel, fault)
            .await?
            .faults)
    }

    /// Deliver normally again.
    pub async fn qa_clear_faults(&self) -> Result<BTreeMap<String, QaFault>, ClientError> {
        self.qa_guard().await?;
        Ok(self.api.qa().clear_faults().await?.faults)
    }

    /// Set a scenario of the guide up: for the account at hand, or (with
    /// `fresh`, or when there is none) for a fresh account.
    pub async fn qa_scenario(&self, name: &str, fresh: bool) -> Result<ScenarioSetUp, ClientError> {
        self.qa_guard().await?;
        let account = if fresh {
            None
        } else {
            let addresses = self.qa_addresses().await?;
            addresses
                .first()
                .and_then(|a| hik_proto::Account::parse(a).ok())
        };
        self.api.qa().set_up_scenario(name, account.as_ref()).await
    }
}
