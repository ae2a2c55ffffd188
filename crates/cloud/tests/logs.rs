//! The cloud's logs never contain a code, a password digest, a session id or a
//! refresh token: drive every flow with logging at full verbosity, then search.
//! The same flow writes every event of the audit trail, one line each, shown
//! at the default level, and keeps them for the account's recent activity.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Cloud, ResultCode, PASSWORD};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_ever_reaches_the_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace,hyper=debug,h2=debug,reqwest=debug")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let cloud = Cloud::start().await;
    let mut secrets: Vec<String> = Vec::new();
    let mut keep = |s: &str| secrets.push(s.to_owned());

    // Sign-up, login on a new terminal with its code, a wrong code.
    cloud.account("ana@example.com").await;
    keep(
        cloud
            .qa()
            .latest_code("ana@example.com", "USER_REGISTRATION")
            .await
            .as_str(),
    );
    cloud.qa().advance_clock(61).await;
    cloud.send_code("ana@example.com", "TERMINAL_BIND").await;
    let code = cloud
        .qa()
        .latest_code("ana@example.com", "TERMINAL_BIND")
        .await;
    keep(&code);
    cloud
        .login("ana@example.com", PASSWORD, &terminal(2), Some("000000"))
        .await;
    let r = cloud
        .login("ana@example.com", PASSWORD, &terminal(2), Some(&code))
        .await;
    let session = r.login_session().session_id;
    let refresh = r.login_session().rf_session_id;
    keep(&session);
    keep(&refresh);

    // Refresh, reuse of a rotated token, logout.
    let r = cloud.refresh(&refresh, &terminal(2)).await;
    let session2 = r.json["sessionInfo"]["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    keep(&session2);
    keep(r.json["sessionInfo"]["refreshSessionId"].as_str().unwrap());
    cloud.refresh(&refresh, &terminal(2)).await;

    // Captcha and lock, reset, change password.
    for _ in 0..10 {
        let answer = cloud.new_captcha_answer("ana@example.com").await;
        cloud
            .login_with_captcha("ana@example.com", "Wrong-Pass-11", &answer)
            .await;
    }
    cloud.qa().advance_clock(61).await;
    cloud
        .send_code("ana@example.com", "RETRIEVE_PASSWORD")
        .await;
    let reset = cloud
        .qa()
        .latest_code("ana@example.com", "RETRIEVE_PASSWORD")
        .await;
    keep(&reset);
    let r = cloud
        .reset_password("ana@example.com", "Brand-New-Pass-7", &reset)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let r = cloud
        .login("ana@example.com", "Brand-New-Pass-7", &terminal(1), None)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let s = r.login_session().session_id;
    keep(&s);
    let r = cloud
        .change_password(&s, "Brand-New-Pass-7", PASSWORD)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);

    // Contact change, terminals, deletion.
    let old = cloud
        .code_for(
            &s,
            "UPDATE_EMAIL_VALIDATE_OLD_EMAIL",
            "ana@example.com",
            &[],
        )
        .await;
    let new = cloud
        .code_for(
            &s,
            "UPDATE_EMAIL_VALIDATE_NEW_EMAIL",
            "anna@example.com",
            &[("contact", "anna@example.com")],
        )
        .await;
    keep(&old);
    keep(&new);
    let form = [
        ("email", "anna@example.com"),
        ("smsCode", new.as_str()),
        ("oldSmsCode", old.as_str()),
    ];
    let r = cloud.authed("PUT", "/v3/users/email", &s, &form).await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let old = cloud
        .code_for(
            &s,
            "UPDATE_PHONE_VALIDATE_OLD_EMAIL",
            "anna@example.com",
            &[],
        )
        .await;
    let new = cloud
        .code_for(
            &s,
            "UPDATE_PHONE_VALIDATE_NEW_PHONE",
            "7700900123",
            &[("contact", "7700900123")],
        )
        .await;
    keep(&old);
    keep(&new);
    let form = [
        ("phone", "7700900123"),
        ("phoneCode", "+44"),
        ("smsCode", new.as_str()),
        ("oldSmsCode", old.as_str()),
        ("oldSmsType", "3"),
    ];
    let r = cloud.authed("PUT", "/v3/users/phone", &s, &form).await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    // Two-step off and on again from this bound terminal; a code burned by
    // five wrong entries.
    for enable in ["0", "1"] {
        let r = cloud
            .authed("PUT", "/v3/terminals/status", &s, &[("enable", enable)])
            .await;
        assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    }
    let burned = cloud
        .code_for(&s, "USER_DELETE", "anna@example.com", &[])
        .await;
    keep(&burned);
    let wrong = if burned == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        cloud
            .authed("DELETE", "/v3/users", &s, &[("smsCode", wrong)])
            .await;
    }
    let activity = cloud
        .qa_raw(
            "GET",
            "/qa/accounts/anna@example.com",
            serde_json::json!({}),
        )
        .await;
    let recent = activity.json["recentActivity"].as_array().unwrap().clone();
    assert_eq!(recent.len(), 20, "the last 20 events");
    assert_eq!(
        recent[0]["event"], "code_burned",
        "newest first: {}",
        recent[0]
    );
    assert!(recent.iter().all(|e| e["ip"] == "127.0.0.1"), "{recent:?}");
    let r = cloud
        .authed(
            "POST",
            "/v3/terminals/unbind",
            &s,
            &[("signs", &terminal(2))],
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let delete = cloud
        .code_for(&s, "USER_DELETE", "anna@example.com", &[])
        .await;
    keep(&delete);
    let r = cloud
        .authed("DELETE", "/v3/users", &s, &[("smsCode", &delete)])
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(
        cloud.logout(&s).await.status,
        401,
        "the deleted account's session is gone"
    );

    for p in [PASSWORD, "Wrong-Pass-11", "Brand-New-Pass-7"] {
        keep(hik_proto::PasswordDigest::of_password(p).as_str());
        keep(p);
    }

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("account created"),
        "the capture works: {} bytes",
        text.len()
    );
    // Every audit event, each a line of the audit target at info.
    let audit: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("hik_cloud::audit"))
        .collect();
    for event in [
        "sign_in",
        "captcha_required",
        "account_locked",
        "account_unlocked",
        "code_sent",
        "code_wrong",
        "code_burned",
        "terminal_bound",
        "terminal_removed",
        "password_changed",
        "password_reset",
        "email_changed",
        "phone_changed",
        "two_step_switched",
        "refresh_token_reused",
        "token_family_revoked",
        "account_deleted",
    ] {
        let line = audit
            .iter()
            .find(|l| l.contains(&format!("event=\"{event}\"")))
            .unwrap_or_else(|| panic!("no audit line for {event}"));
        assert!(line.contains(" INFO "), "{line}");
        assert!(
            line.contains("ip=127.0.0.1") && line.contains("outcome="),
            "{line}"
        );
    }
    let refused_sign_in = audit
        .iter()
        .find(|l| l.contains("event=\"sign_in\"") && l.contains("wrong password"))
        .unwrap();
    assert!(refused_sign_in.contains("user_id=1"), "{refused_sign_in}");
    if std::env::var_os("HIK_SHOW_AUDIT").is_some() {
        println!("{}", audit.join("\n"));
    }
    // A secret stands on its own in a line (not as digits inside a longer
    // number: a six-digit code also turns up among a timestamp's
    // microseconds, by chance, once the logs are long enough).
    for secret in &secrets {
        let leak = text.lines().find(|l| stands_in(l, secret));
        assert!(
            leak.is_none(),
            "a secret is in the logs: {secret}: {leak:?}"
        );
    }
}

/// Whether `secret` is in `line` with no letter or digit right before or after.
fn stands_in(line: &str, secret: &str) -> bool {
    line.match_indices(secret).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + secret.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
