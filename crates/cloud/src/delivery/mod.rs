//! Delivery of messages. Every message is written to the outbox with a status
//! that QA faults decide: `delivered` at once (no transport configured),
//! `queued` for SMTP or the SMS webhook (then `delivered` or, after the retries,
//! `failed`), `delayed` until a time on the cloud's clock, `dropped`, or
//! `failed` (QA's "fail next"). A worker sends queued messages; a ticker wakes
//! delayed ones when the (movable) clock reaches them.

pub(crate) mod faults;
pub(crate) mod mailer;
pub(crate) mod outbox;

use crate::config::DeliveryConfig;
use crate::crypto::random_bytes;
use crate::db::{params, Sql};
use crate::delivery::outbox::{Channel, NewMessage};
use crate::error::ApiError;
use crate::Cloud;
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// Faults QA sets on a channel (`POST /qa/faults`); the type is the wire's.
pub use hik_proto::qa::QaFault as Fault;

/// How long an instance may take to send a message it claimed before another
/// one may claim it again (seconds, wall clock).
const LEASE_SECS: i64 = 300;

enum Fate {
    Now,
    Queued,
    Delayed(i64),
    Dropped,
    Failed,
}

pub struct Postman {
    /// Wakes this instance's sender: a message was queued.
    wake: Arc<Notify>,
    email_out: bool,
    sms_out: bool,
}

impl Postman {
    pub fn new(config: &DeliveryConfig) -> Self {
        Self {
            wake: Arc::new(Notify::new()),
            email_out: config.smtp.is_some(),
            sms_out: config.sms_webhook.is_some(),
        }
    }

    fn external(&self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email_out,
            Channel::Sms => self.sms_out,
        }
    }

    /// Wake the sender once the job of `conn` has committed.
    fn wake_after_commit(&self, conn: &dyn Sql) {
        let wake = Arc::clone(&self.wake);
        conn.after_commit(Box::new(move || wake.notify_one()));
    }

    /// What becomes of a message on `channel`: QA's faults (in the database,
    /// shared by every instance) decide first.
    fn fate(&self, conn: &dyn Sql, channel: Channel, now: i64) -> Result<Fate, ApiError> {
        let fault = crate::delivery::faults::take_delivery_fault(conn, channel)?;
        if fault.fail_next > 0 {
            return Ok(Fate::Failed);
        }
        let roll = f64::from(u32::from_le_bytes(random_bytes::<4>())) / f64::from(u32::MAX);
        if fault.drop_rate > 0.0 && roll < fault.drop_rate {
            return Ok(Fate::Dropped);
        }
        if fault.delay_seconds > 0 {
            let delay = i64::try_from(fault.delay_seconds).unwrap_or(i64::MAX);
            return Ok(Fate::Delayed(now.saturating_add(delay)));
        }
        Ok(if self.external(channel) {
            Fate::Queued
        } else {
            Fate::Now
        })
    }

    /// Write the message to the outbox with its fate; one for a transport is
    /// sent once the caller's transaction has committed, by whichever
    /// instance claims it first.
    pub fn post(&self, conn: &dyn Sql, now: i64, m: NewMessage<'_>) -> Result<(), ApiError> {
        let (status, delivered_at, deliver_at, error) = match self.fate(conn, m.channel, now)? {
            Fate::Now => ("delivered", Some(now), None, None),
            Fate::Queued => ("queued", None, None, None),
            Fate::Delayed(at) => ("delayed", None, Some(at), None),
            Fate::Dropped => ("dropped", None, None, None),
            Fate::Failed => ("failed", None, None, Some("QA fault: fail next")),
        };
        conn.defer(
            "INSERT INTO outbox (channel, to_addr, biz_type, code, subject, body, sent_at, delivered_at,
                                 status, deliver_at, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                m.channel.as_str(),
                m.to,
                m.biz,
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
            self.wake_after_commit(conn);
        }
        Ok(())
    }

    /// Delayed messages whose time has come: delivered, or queued for sending.
    pub fn wake_due(&self, conn: &dyn Sql, now: i64) -> Result<(), ApiError> {
        for channel in [Channel::Email, Channel::Sms] {
            if self.external(channel) {
                let queued = conn.execute(
                    "UPDATE outbox SET status = 'queued'
                     WHERE status = 'delayed' AND deliver_at <= ?1 AND channel = ?2",
                    params![now, channel.as_str()],
                )?;
                if queued > 0 {
                    self.wake_after_commit(conn);
                }
            } else {
                conn.execute(
                    "UPDATE outbox SET status = 'delivered', delivered_at = deliver_at
                     WHERE status = 'delayed' AND deliver_at <= ?1 AND channel = ?2",
                    params![now, channel.as_str()],
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

/// Send queued messages until the cloud is gone: claim one (so that no other
/// instance sends it too), send it, record how that went, and so on until
/// none is left; then wait to be woken. Holds the cloud weakly, so a stopped
/// cloud is freed.
pub async fn run(
    cloud: Weak<Cloud>,
    config: DeliveryConfig,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let Some(wake) = cloud.upgrade().map(|c| Arc::clone(&c.postman.wake)) else {
        return;
    };
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
    loop {
        tokio::select! {
            () = wake.notified() => {}
            _ = stopped.wait_for(|s| *s) => break,
        }
        loop {
            let Some(c) = cloud.upgrade() else { return };
            let Ok(Some(m)) = c.db.call(|conn| claim(conn, crate::clock::wall())).await else {
                break;
            };
            let (sent, attempts, error) = send(&config, smtp.as_ref(), http.as_ref(), &m).await;
            let now = c.clock.now();
            let id = m.id;
            let outcome = c
                .db
                .call(move |conn| {
                    conn.execute(
                        "UPDATE outbox SET status = ?2, delivered_at = ?3, attempts = ?4, last_error = ?5,
                                           lease_until = NULL
                         WHERE id = ?1",
                        params![
                            id,
                            if sent { "delivered" } else { "failed" },
                            sent.then_some(now),
                            attempts,
                            (!sent).then_some(error.as_str())
                        ],
                    )
                    .map(drop)
                })
                .await;
            if let Err(e) = outcome {
                tracing::error!(
                    message = id,
                    error = %e,
                    "could not record the delivery"
                );
            }
        }
    }
}

/// Try the transport `config.attempts` times, pausing `retry_delay_ms`
/// after the first failure and twice as long after each next one (at most
/// 64 times as long); whether it went, after how many attempts, and the
/// last error.
async fn send(
    config: &DeliveryConfig,
    smtp: Option<&(mailer::Mailer, String)>,
    http: Option<&reqwest::Client>,
    m: &Outgoing,
) -> (bool, u32, String) {
    use backon::Retryable;
    let first = Duration::from_millis(config.retry_delay_ms);
    let pauses = backon::ExponentialBuilder::default()
        .with_min_delay(first)
        .with_max_delay(first.saturating_mul(64))
        .with_factor(2.0)
        .with_max_times(usize::try_from(config.attempts.max(1) - 1).unwrap_or(0));
    let attempts = std::sync::atomic::AtomicU32::new(0);
    let tried = || attempts.load(std::sync::atomic::Ordering::Relaxed);
    let result = (|| {
        attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        transport(config, smtp, http, m)
    })
    .retry(pauses)
    .sleep(tokio::time::sleep)
    .notify(|e: &String, _| {
        tracing::warn!(message = m.id, attempt = tried(), error = %e, "delivery failed");
    })
    .await;
    match result {
        Ok(()) => (true, tried(), String::new()),
        Err(e) => {
            tracing::warn!(message = m.id, attempt = tried(), error = %e, "delivery failed");
            (false, tried(), e)
        }
    }
}

/// One attempt: email by SMTP, SMS by the webhook, or an error when the
/// channel has no transport.
async fn transport(
    config: &DeliveryConfig,
    smtp: Option<&(mailer::Mailer, String)>,
    http: Option<&reqwest::Client>,
    m: &Outgoing,
) -> Result<(), String> {
    match (m.channel.as_str(), smtp, &config.sms_webhook, http) {
        ("email", Some((mailer, from)), _, _) => {
            let letter = mailer::Letter {
                to: &m.to,
                subject: &m.subject,
                body: &m.body,
            };
            mailer.send(from, &letter).await
        }
        ("sms", _, Some(url), Some(http)) => send_webhook(http, url, m).await,
        _ => Err("no transport for this channel".to_owned()),
    }
}

/// Wake delayed messages about twice a second until the cloud stops. When the
/// database is shared, also read QA's clock again (another instance may have
/// moved it) and look for messages other instances queued or left unsent.
pub async fn tick(cloud: Weak<Cloud>, mut stopped: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = stopped.wait_for(|s| *s) => break,
        }
        let Some(c) = cloud.upgrade() else { break };
        if c.sync_qa_state().await.is_err() {
            continue;
        }
        let now = c.clock.now();
        let postman = Arc::clone(&c);
        let _ =
            c.db.call(move |conn| postman.postman.wake_due(conn, now))
                .await;
        if c.db.shared() && (c.postman.email_out || c.postman.sms_out) {
            c.postman.wake.notify_one();
        }
    }
}

/// The oldest message waiting to be sent, claimed for this instance until the
/// lease ends (`wall` is the wall clock).
fn claim(conn: &dyn Sql, wall: i64) -> Result<Option<Outgoing>, ApiError> {
    // One statement: an instance that picked the same row re-checks the
    // condition once the first has claimed it, and claims nothing.
    Ok(conn.opt(
        "UPDATE outbox SET status = 'sending', lease_until = ?2
         WHERE id = (SELECT id FROM outbox
                     WHERE status = 'queued' OR (status = 'sending' AND lease_until < ?1)
                     ORDER BY id LIMIT 1)
           AND (status = 'queued' OR (status = 'sending' AND lease_until < ?1))
         RETURNING id, channel, to_addr, biz_type, code, subject, body",
        params![wall, wall + LEASE_SECS],
    )?)
}

impl crate::db::FromRow for Outgoing {
    fn from_row(r: &crate::db::Row) -> Result<Self, crate::db::Error> {
        Ok(Self {
            id: r.get(0)?,
            channel: r.get(1)?,
            to: r.get(2)?,
            biz_type: r.get(3)?,
            code: r.get(4)?,
            subject: r.get(5)?,
            body: r.get(6)?,
        })
    }
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
