//! Delivery of messages. Every message is written to the outbox with a status
//! that QA faults decide: `delivered` at once (no transport configured),
//! `queued` for SMTP or the SMS webhook (then `delivered` or, after the retries,
//! `failed`), `delayed` until a time on the cloud's clock, `dropped`, or
//! `failed` (QA's "fail next"). A worker sends queued messages; a ticker wakes
//! delayed ones when the (movable) clock reaches them.

use crate::config::DeliveryConfig;
use crate::crypto::random_bytes;
use crate::error::ApiError;
use crate::mailer;
use crate::outbox::{Channel, NewMessage};
use crate::Cloud;
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::mpsc;

/// Faults QA sets on a channel (`POST /qa/faults`); the type is the wire's.
pub use hik_proto::wire::QaFault as Fault;

enum Fate {
    Now,
    Queued,
    Delayed(i64),
    Dropped,
    Failed,
}

pub struct Postman {
    faults: Mutex<HashMap<Channel, Fault>>,
    queue: mpsc::UnboundedSender<i64>,
    email_out: bool,
    sms_out: bool,
}

impl Postman {
    /// The postman and the receiving end of its queue, for `run`.
    pub fn new(config: &DeliveryConfig) -> (Self, mpsc::UnboundedReceiver<i64>) {
        let (queue, rx) = mpsc::unbounded_channel();
        let postman = Self {
            faults: Mutex::default(),
            queue,
            email_out: config.smtp.is_some(),
            sms_out: config.sms_webhook.is_some(),
        };
        (postman, rx)
    }

    pub fn set_fault(&self, channel: Channel, fault: Fault) {
        crate::lock(&self.faults).insert(channel, fault);
    }

    pub fn clear_faults(&self) {
        crate::lock(&self.faults).clear();
    }

    pub fn faults(&self) -> HashMap<Channel, Fault> {
        crate::lock(&self.faults).clone()
    }

    fn external(&self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email_out,
            Channel::Sms => self.sms_out,
        }
    }

    fn fate(&self, channel: Channel, now: i64) -> Fate {
        let mut faults = crate::lock(&self.faults);
        let fault = faults.entry(channel).or_default();
        if fault.fail_next > 0 {
            fault.fail_next -= 1;
            return Fate::Failed;
        }
        let roll = f64::from(u32::from_le_bytes(random_bytes::<4>())) / f64::from(u32::MAX);
        if fault.drop_rate > 0.0 && roll < fault.drop_rate {
            return Fate::Dropped;
        }
        if fault.delay_seconds > 0 {
            let delay = i64::try_from(fault.delay_seconds).unwrap_or(i64::MAX);
            return Fate::Delayed(now.saturating_add(delay));
        }
        if self.external(channel) {
            Fate::Queued
        } else {
            Fate::Now
        }
    }

    /// Write the message to the outbox with its fate, and queue it for sending
    /// when a transport is configured. Runs under the database lock, so the
    /// worker reads the row only after the caller's transaction ends.
    pub fn post(&self, conn: &Connection, now: i64, m: NewMessage<'_>) -> Result<(), ApiError> {
        let (status, delivered_at, deliver_at, error) = match self.fate(m.channel, now) {
            Fate::Now => ("delivered", Some(now), None, None),
            Fate::Queued => ("queued", None, None, None),
            Fate::Delayed(at) => ("delayed", None, Some(at), None),
            Fate::Dropped => ("dropped", None, None, None),
            Fate::Failed => ("failed", None, None, Some("QA fault: fail next")),
        };
        conn.execute(
            "INSERT INTO outbox (channel, to_addr, biz_type, code, subject, body, sent_at, delivered_at,
                                 status, deliver_at, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                m.channel.as_str(),
                m.to,
                m.biz.as_str(),
                m.code,
                m.subject,
                m.body,
                now,
                delivered_at,
                status,
                deliver_at,
                error
            ],
        )?;
        if status == "queued" {
            let _ = self.queue.send(conn.last_insert_rowid());
        }
        Ok(())
    }

    /// Delayed messages whose time has come: delivered, or queued for sending.
    pub fn wake_due(&self, conn: &Connection, now: i64) -> Result<(), ApiError> {
        let mut stmt = conn.prepare(
            "SELECT id, channel FROM outbox WHERE status = 'delayed' AND deliver_at <= ?1",
        )?;
        let due: Vec<(i64, String)> = stmt
            .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (id, channel) in due {
            let channel = if channel == "sms" {
                Channel::Sms
            } else {
                Channel::Email
            };
            if self.external(channel) {
                conn.execute("UPDATE outbox SET status = 'queued' WHERE id = ?1", [id])?;
                let _ = self.queue.send(id);
            } else {
                conn.execute(
                    "UPDATE outbox SET status = 'delivered', delivered_at = deliver_at WHERE id = ?1",
                    [id],
                )?;
            }
        }
        Ok(())
    }
}

/// A queued message as the transports need it.
pub(crate) struct Outgoing {
    id: i64,
    channel: String,
    pub to: String,
    biz_type: Option<String>,
    code: Option<String>,
    // Only email has a subject; a build without SMTP sends none.
    #[cfg_attr(not(feature = "smtp"), allow(dead_code))]
    pub subject: String,
    pub body: String,
}

/// Send queued messages until the cloud is gone. Holds the cloud weakly, so a
/// stopped cloud is freed.
pub async fn run(
    cloud: Weak<Cloud>,
    mut queue: mpsc::UnboundedReceiver<i64>,
    config: DeliveryConfig,
) {
    let smtp = config
        .smtp
        .as_ref()
        .and_then(|s| match mailer::Mailer::new(s) {
            Ok(t) => Some((t, s.from.clone())),
            Err(e) => {
                tracing::error!(error = %e, "SMTP is configured but unusable; email stays queued");
                None
            }
        });
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .ok();
    while let Some(id) = queue.recv().await {
        let Some(c) = cloud.upgrade() else { break };
        let Ok(Some(m)) = c.db.call(move |conn| load(conn, id)).await else {
            continue;
        };
        let mut error = String::from("no transport for this channel");
        let mut sent = false;
        let mut attempts = 0;
        for attempt in 0..config.attempts.max(1) {
            attempts = attempt + 1;
            let result = match (m.channel.as_str(), &smtp, &config.sms_webhook, &http) {
                ("email", Some((mailer, from)), _, _) => mailer.send(from, &m).await,
                ("sms", _, Some(url), Some(http)) => send_webhook(http, url, &m).await,
                _ => Err(error.clone()),
            };
            match result {
                Ok(()) => {
                    sent = true;
                    break;
                }
                Err(e) => {
                    tracing::warn!(message = id, attempt = attempts, error = %e, "delivery failed");
                    error = e;
                    if attempts < config.attempts {
                        let pause = config.retry_delay_ms.saturating_mul(1 << attempt.min(6));
                        tokio::time::sleep(Duration::from_millis(pause)).await;
                    }
                }
            }
        }
        let now = c.clock.now();
        let outcome = c
            .db
            .call(move |conn| {
                conn.execute(
                    "UPDATE outbox SET status = ?2, delivered_at = ?3, attempts = ?4, last_error = ?5 WHERE id = ?1",
                    params![
                        id,
                        if sent { "delivered" } else { "failed" },
                        sent.then_some(now),
                        attempts,
                        (!sent).then_some(error)
                    ],
                )?;
                Ok(())
            })
            .await;
        if let Err(e) = outcome {
            tracing::error!(
                message = id,
                error = e.message,
                "could not record the delivery"
            );
        }
    }
}

/// Wake delayed messages about twice a second until the cloud stops.
pub async fn tick(cloud: Weak<Cloud>, mut stopped: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = stopped.wait_for(|s| *s) => break,
        }
        let Some(c) = cloud.upgrade() else { break };
        let now = c.clock.now();
        let postman = Arc::clone(&c);
        let _ =
            c.db.call(move |conn| postman.postman.wake_due(conn, now))
                .await;
    }
}

fn load(conn: &Connection, id: i64) -> Result<Option<Outgoing>, ApiError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT id, channel, to_addr, biz_type, code, subject, body FROM outbox WHERE id = ?1 AND status = 'queued'",
            [id],
            |r| {
                Ok(Outgoing {
                    id: r.get(0)?,
                    channel: r.get(1)?,
                    to: r.get(2)?,
                    biz_type: r.get(3)?,
                    code: r.get(4)?,
                    subject: r.get(5)?,
                    body: r.get(6)?,
                })
            },
        )
        .optional()?)
}

async fn send_webhook(http: &reqwest::Client, url: &str, m: &Outgoing) -> Result<(), String> {
    let payload = serde_json::json!({
        "id": m.id,
        "to": m.to,
        "body": m.body,
        "bizType": m.biz_type,
        "code": m.code,
    });
    let res = http
        .post(url)
        .json(&payload)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("the webhook answered {}", res.status()))
    }
}
