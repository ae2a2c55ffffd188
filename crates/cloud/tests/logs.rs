//! The cloud's logs never contain a code, a password digest, a session id or a
//! refresh token: drive every flow with logging at full verbosity, then search.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod helpers;
use helpers::{terminal, TestCloud, PASSWORD};
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

    let cloud = TestCloud::spawn().await;
    let mut secrets: Vec<String> = Vec::new();
    let mut keep = |s: &str| secrets.push(s.to_owned());

    // Sign-up, login on a new terminal with its code, a wrong code.
    cloud.account("ana@example.com").await;
    keep(
        cloud
            .latest_code("ana@example.com", "USER_REGISTRATION")
            .await
            .as_str(),
    );
    cloud.advance_clock(61).await;
    cloud.send_code("ana@example.com", "TERMINAL_BIND").await;
    let code = cloud.latest_code("ana@example.com", "TERMINAL_BIND").await;
    keep(&code);
    cloud
        .login("ana@example.com", PASSWORD, &terminal(2), Some("000000"))
        .await;
    let r = cloud
        .login("ana@example.com", PASSWORD, &terminal(2), Some(&code))
        .await;
    let session = r.json["loginSession"]["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let refresh = r.json["loginSession"]["rfSessionId"]
        .as_str()
        .unwrap()
        .to_owned();
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
        let answer = cloud.captcha_answer("ana@example.com").await;
        cloud
            .login_with_captcha("ana@example.com", "Wrong-Pass-11", &answer)
            .await;
    }
    cloud.advance_clock(61).await;
    cloud
        .send_code("ana@example.com", "RETRIEVE_PASSWORD")
        .await;
    let reset = cloud
        .latest_code("ana@example.com", "RETRIEVE_PASSWORD")
        .await;
    keep(&reset);
    let r = cloud
        .reset_password("ana@example.com", "Brand-New-Pass-7", &reset)
        .await;
    assert_eq!(r.code(), 200, "{}", r.json);
    let r = cloud
        .login("ana@example.com", "Brand-New-Pass-7", &terminal(1), None)
        .await;
    assert_eq!(r.code(), 200, "{}", r.json);
    let s = r.json["loginSession"]["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    keep(&s);
    let r = cloud
        .change_password(&s, "Brand-New-Pass-7", PASSWORD)
        .await;
    assert_eq!(r.code(), 200, "{}", r.json);

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
    assert_eq!(r.code(), 200, "{}", r.json);
    let r = cloud
        .authed(
            "POST",
            "/v3/terminals/unbind",
            &s,
            &[("signs", &terminal(2))],
        )
        .await;
    assert_eq!(r.code(), 200, "{}", r.json);
    let delete = cloud
        .code_for(&s, "USER_DELETE", "anna@example.com", &[])
        .await;
    keep(&delete);
    let r = cloud
        .authed("DELETE", "/v3/users", &s, &[("smsCode", &delete)])
        .await;
    assert_eq!(r.code(), 200, "{}", r.json);
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
    assert!(text.contains("account locked after wrong passwords"));
    assert!(text.contains("password reset") && text.contains("account deleted"));
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a secret is in the logs: {secret}"
        );
    }
}
