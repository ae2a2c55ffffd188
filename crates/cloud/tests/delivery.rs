//! Delivery: QA faults on each channel, reset, SMTP to a real SMTP server and
//! SMS to a webhook, with retries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Cloud, ResultCode, PASSWORD};
use serde_json::json;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_delayed_code_arrives_when_the_clock_gets_there_and_works() {
    let cloud = Cloud::start().await;
    cloud.account("ana@example.com").await;
    let r = cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"channel": "email", "delaySeconds": 120}),
        )
        .await;
    assert_eq!(r.json["faults"]["email"]["delaySeconds"], 120, "{}", r.json);

    assert_eq!(
        cloud
            .send_code("ana@example.com", "TERMINAL_BIND")
            .await
            .code(),
        ResultCode::Success,
        "the client cannot tell"
    );
    let m = &cloud.qa().outbox("ana@example.com").await[0];
    assert_eq!((m.status.as_str(), m.delivered_at), ("delayed", None));
    // A little before its time (the wall clock may tick a second meanwhile),
    // it is still on its way.
    cloud.qa().advance_clock(118).await;
    assert_eq!(
        cloud.qa().outbox("ana@example.com").await[0].status,
        "delayed"
    );
    cloud.qa().advance_clock(3).await;
    let m = &cloud.qa().outbox("ana@example.com").await[0];
    assert_eq!(m.status, "delivered");
    assert_eq!(m.delivered_at.unwrap() - m.sent_at, 120);
    let code = m.code.as_deref().unwrap();
    assert_eq!(
        cloud
            .login("ana@example.com", PASSWORD, &terminal(2), Some(code))
            .await
            .code(),
        ResultCode::Success
    );
}

#[tokio::test]
async fn dropped_and_failing_messages_per_channel_until_cleared() {
    let cloud = Cloud::start().await;
    cloud.account("bo@example.com").await;
    cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"channel": "email", "failNext": 2}),
        )
        .await;
    cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"channel": "sms", "dropRate": 1.0}),
        )
        .await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        cloud.qa().advance_clock(61).await;
        assert_eq!(
            cloud
                .send_code("bo@example.com", "TERMINAL_BIND")
                .await
                .code(),
            ResultCode::Success
        );
        statuses.push(cloud.qa().outbox("bo@example.com").await[0].status.clone());
    }
    assert_eq!(statuses, ["failed", "failed", "delivered"]);
    assert_eq!(
        cloud.qa_raw("GET", "/qa/faults", json!({})).await.json["faults"]["email"]["failNext"],
        0
    );

    // SMS are all lost; email is not affected by the SMS fault.
    let sent = cloud.send_code("7700900777", "USER_REGISTRATION").await;
    assert_eq!(sent.code(), ResultCode::Success);
    assert_eq!(cloud.qa().outbox("7700900777").await[0].status, "dropped");

    cloud.qa_raw("DELETE", "/qa/faults", json!({})).await;
    cloud.qa().advance_clock(61).await;
    cloud.send_code("7700900777", "USER_REGISTRATION").await;
    assert_eq!(cloud.qa().outbox("7700900777").await[0].status, "delivered");
    let bad = cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"channel": "fax", "dropRate": 0.5}),
        )
        .await;
    assert_eq!(bad.code(), ResultCode::BadRequest);
    let bad = cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"channel": "sms", "dropRate": 2}),
        )
        .await;
    assert_eq!(bad.code(), ResultCode::BadRequest);
}

#[tokio::test]
async fn reset_wipes_everything() {
    let cloud = Cloud::start().await;
    cloud.account("cy@example.com").await;
    cloud.qa().advance_clock(5000).await;
    cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"channel": "email", "failNext": 1}),
        )
        .await;
    let r = cloud.qa_raw("POST", "/qa/reset", json!({})).await;
    assert_eq!(r.json["reset"], true);
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (r.json["now"].as_i64().unwrap() - wall).abs() < 5,
        "clock back to the wall clock"
    );
    assert_eq!(
        cloud
            .login("cy@example.com", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::AccountMissing
    );
    assert!(cloud.qa().outbox("cy@example.com").await.is_empty());
    assert_eq!(
        cloud.qa_raw("GET", "/qa/faults", json!({})).await.json["faults"],
        json!({})
    );
    cloud.account("cy@example.com").await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The Python that has aiosmtpd: `HIK_TEST_PYTHON`, else the tests' virtual
/// environment that `scripts/setup --tests` makes (target/test-venv).
fn test_python() -> std::path::PathBuf {
    if let Some(python) = std::env::var_os("HIK_TEST_PYTHON") {
        return python.into();
    }
    let target = option_env!("CARGO_TARGET_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        std::path::PathBuf::from,
    );
    if cfg!(windows) {
        target.join("test-venv/Scripts/python.exe")
    } else {
        target.join("test-venv/bin/python")
    }
}

/// A real SMTP server (aiosmtpd) storing what it receives in a maildir.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    async fn start() -> Self {
        let maildir = tempfile::tempdir().unwrap();
        let port = free_port();
        let python = test_python();
        let child = std::process::Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir.path().join("mail"))
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{} cannot run ({e}): make the tests' Python tools with `scripts/setup --tests`",
                    python.display()
                )
            });
        // Owned from here on: dropped (and killed) even if it never listens.
        let server = Self {
            child,
            port,
            maildir,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "aiosmtpd did not listen on {port}: is it in {} (`scripts/setup --tests`)?",
            test_python().display()
        );
    }

    /// Every message received, as raw text.
    fn messages(&self) -> Vec<String> {
        let new = self.maildir.path().join("mail/new");
        let Ok(dir) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        dir.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn smtp(port: u16) -> hik_cloud::Smtp {
    hik_cloud::Smtp {
        host: "127.0.0.1".into(),
        port,
        security: hik_cloud::SmtpSecurity::None,
        username: None,
        password: None,
        from: "Hik-Connect <noreply@hik-connect.example>".into(),
    }
}

#[tokio::test]
async fn email_goes_out_by_smtp_to_a_real_server() {
    let server = SmtpServer::start().await;
    let cloud = Cloud::builder()
        .config(|c| c.delivery.smtp = Some(smtp(server.port)))
        .start()
        .await;
    assert_eq!(
        cloud
            .send_code("di@example.com", "USER_REGISTRATION")
            .await
            .code(),
        ResultCode::Success
    );
    let m = cloud.qa().wait_status("di@example.com", "delivered").await;
    let code = m.code.as_deref().unwrap();
    let mails = server.messages();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert!(mail.contains("To: di@example.com"), "{mail}");
    assert!(
        mail.contains(&format!("Subject: Hik-Connect verification code: {code}")),
        "{mail}"
    );
    assert!(
        mail.contains(&format!("Your verification code is {code}.")),
        "{mail}"
    );
}

#[tokio::test]
async fn smtp_failures_are_retried_then_marked_failed() {
    let closed = free_port();
    let cloud = Cloud::builder()
        .config(|c| {
            c.delivery.smtp = Some(smtp(closed));
            c.delivery.attempts = 2;
            c.delivery.retry_delay_ms = 10;
        })
        .start()
        .await;
    cloud.send_code("ed@example.com", "USER_REGISTRATION").await;
    cloud.qa().wait_status("ed@example.com", "failed").await;
}

/// A tiny HTTP receiver: answers the first `fail_first` requests with 500,
/// then 200, and keeps the bodies it was sent.
async fn webhook(fail_first: usize) -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&seen);
    tokio::spawn(async move {
        let mut served = 0;
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let body = loop {
                let n = sock.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break None;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + len {
                        break Some(buf[end + 4..end + 4 + len].to_vec());
                    }
                }
            };
            served += 1;
            let status = if served <= fail_first {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            if let (Some(body), true) = (body, served > fail_first) {
                kept.lock()
                    .unwrap()
                    .push(serde_json::from_slice(&body).unwrap());
            }
            let _ = sock
                .write_all(
                    format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                        .as_bytes(),
                )
                .await;
        }
    });
    (url, seen)
}

#[tokio::test]
async fn sms_go_to_the_webhook_and_a_failure_is_retried() {
    let (url, seen) = webhook(1).await;
    let cloud = Cloud::builder()
        .config(|c| {
            c.delivery.sms_webhook = Some(url);
            c.delivery.retry_delay_ms = 10;
        })
        .start()
        .await;
    assert_eq!(
        cloud
            .send_code("7700900888", "USER_REGISTRATION")
            .await
            .code(),
        ResultCode::Success
    );
    let m = cloud.qa().wait_status("7700900888", "delivered").await;
    let received = seen.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["to"], "7700900888");
    assert_eq!(received[0]["code"].as_str(), m.code.as_deref());
    assert_eq!(received[0]["bizType"], "USER_REGISTRATION");
    assert!(received[0]["body"]
        .as_str()
        .unwrap()
        .contains(m.code.as_deref().unwrap()));
    // Email has no transport here: it stays in the outbox, delivered.
    cloud.send_code("fa@example.com", "USER_REGISTRATION").await;
    assert_eq!(
        cloud.qa().outbox("fa@example.com").await[0].status,
        "delivered"
    );
}
