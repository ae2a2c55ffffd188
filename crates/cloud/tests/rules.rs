//! Guarantees under load and across restarts, phone sign-up, and rules as settings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Cloud, ResultCode, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_logins_with_one_code_open_exactly_one_session() {
    let cloud = Cloud::start().await;
    cloud.account("ana@example.com").await;
    cloud.send_code("ana@example.com", "TERMINAL_BIND").await;
    let code = cloud
        .qa()
        .latest_code("ana@example.com", "TERMINAL_BIND")
        .await;
    let new_terminal = terminal(2);
    let logins =
        (0..50).map(|_| cloud.login("ana@example.com", PASSWORD, &new_terminal, Some(&code)));
    let codes: Vec<ResultCode> = futures_join_all(logins)
        .await
        .iter()
        .map(|r| r.code())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == ResultCode::Success).count(),
        1,
        "{codes:?}"
    );
    assert!(
        codes
            .iter()
            .all(|c| *c == ResultCode::Success || *c == ResultCode::CodeDead),
        "{codes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_code_requests_in_one_cooldown_send_one_message() {
    let cloud = Cloud::start().await;
    cloud.account("bo@example.com").await;
    let sends = (0..20).map(|_| cloud.send_code("bo@example.com", "TERMINAL_BIND"));
    let codes: Vec<ResultCode> = futures_join_all(sends)
        .await
        .iter()
        .map(|r| r.code())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == ResultCode::Success).count(),
        1,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == ResultCode::TooOften).count(),
        19,
        "{codes:?}"
    );
    assert_eq!(
        cloud
            .qa()
            .outbox("bo@example.com")
            .await
            .iter()
            .filter(|m| m.biz_type.as_deref() == Some("TERMINAL_BIND"))
            .count(),
        1
    );
}

/// Run futures concurrently on the runtime and collect their outputs in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future,
{
    let mut pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

#[tokio::test]
async fn pending_codes_survive_a_restart() {
    let mut cloud = Cloud::start().await;
    cloud.account("cy@example.com").await;
    cloud.send_code("cy@example.com", "TERMINAL_BIND").await;
    let code = cloud
        .qa()
        .latest_code("cy@example.com", "TERMINAL_BIND")
        .await;
    cloud.stop().await;

    cloud.start_again().await;
    let r = cloud
        .login("cy@example.com", PASSWORD, &terminal(2), Some(&code))
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    // The cooldown survived too.
    assert_eq!(
        cloud
            .send_code("cy@example.com", "TERMINAL_BIND")
            .await
            .code(),
        ResultCode::TooOften
    );
}

#[tokio::test]
async fn phones_sign_up_with_their_dialling_code_and_get_sms() {
    let cloud = Cloud::start().await;
    let sent = cloud.send_code("7700 900-456", "USER_REGISTRATION").await;
    assert_eq!(sent.code(), ResultCode::Success, "{}", sent.json);
    assert_eq!(
        sent.json["contact"],
        serde_json::json!({"type": "phone", "fuzzyContact": "770***0456"})
    );
    let sms = &cloud.qa().outbox("7700900456").await[0];
    assert_eq!(sms.channel, "sms");
    assert!(sms.body.starts_with("[Hik-Connect]"));
    let code = sms.code.as_deref().unwrap();

    let digest = hik_proto::PasswordDigest::of_password(PASSWORD);
    let form = [
        ("account", "7700900456"),
        ("password", digest.as_str()),
        ("areaId", "44"),
        ("smsCode", code),
    ];
    let r = cloud.post("/v3/users/regist/v2", &terminal(1), &form).await;
    assert_eq!(
        r.code(),
        ResultCode::BadRequest,
        "a phone needs its dialling code: {}",
        r.json
    );
    let mut with_code = form.to_vec();
    with_code.push(("phoneCode", "+44"));
    let r = cloud
        .post("/v3/users/regist/v2", &terminal(1), &with_code)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(r.json["loginUser"]["phone"], "7700900456");
    assert_eq!(
        cloud
            .login("7700900456", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::Success
    );
}

#[tokio::test]
async fn codes_with_letters_are_a_setting_and_are_read_as_forgivingly() {
    let cloud = Cloud::builder()
        .rules(|r| r.code_alphabet = hik_proto::CodeAlphabet::Letters)
        .start()
        .await;
    cloud.account("lu@example.com").await;
    let sent = cloud.send_code("lu@example.com", "TERMINAL_BIND").await;
    assert_eq!(sent.json["codeAlphabet"], "letters", "{}", sent.json);
    // Enough codes to see letters: each is 6 characters of Crockford's base 32.
    let mut codes = Vec::new();
    for _ in 0..8 {
        let code = cloud
            .qa()
            .latest_code("lu@example.com", "TERMINAL_BIND")
            .await;
        assert_eq!(code.len(), 6);
        assert!(
            code.bytes()
                .all(|b| hik_proto::CodeAlphabet::Letters.characters().contains(&b)),
            "{code}"
        );
        codes.push(code);
        cloud.qa().advance_clock(721).await;
        cloud.send_code("lu@example.com", "TERMINAL_BIND").await;
    }
    assert!(
        codes
            .iter()
            .any(|c| c.bytes().any(|b| b.is_ascii_uppercase())),
        "letters among {codes:?}"
    );
    // Typed in small letters, with a space, 0 typed as o and 1 as l.
    let code = cloud
        .qa()
        .latest_code("lu@example.com", "TERMINAL_BIND")
        .await;
    let typed: String = code
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let typed = format!("{} {}", &typed[..3], &typed[3..]);
    let r = cloud
        .login("lu@example.com", PASSWORD, &terminal(2), Some(&typed))
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{typed}: {}", r.json);

    // Digits stay the default.
    let digits = Cloud::start().await;
    digits.account("di@example.com").await;
    let sent = digits.send_code("di@example.com", "TERMINAL_BIND").await;
    assert_eq!(sent.json["codeAlphabet"], "digits");
}

#[tokio::test]
async fn the_code_length_is_a_setting_from_four_to_eight() {
    for length in [4, 8] {
        let cloud = Cloud::builder()
            .rules(|r| r.code_length = length)
            .start()
            .await;
        cloud.account("di@example.com").await;
        cloud.send_code("di@example.com", "TERMINAL_BIND").await;
        let code = cloud
            .qa()
            .latest_code("di@example.com", "TERMINAL_BIND")
            .await;
        assert_eq!(code.len(), length);
        let r = cloud
            .login("di@example.com", PASSWORD, &terminal(2), Some(&code))
            .await;
        assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut config = hik_cloud::Config::embedded(dir.path().join("c.db"));
    config.rules.code_length = 9;
    let err = hik_cloud::spawn(config).await.err().expect("refused");
    assert!(err.to_string().contains("code_length"), "{err}");
}

#[tokio::test]
async fn cooldown_and_hourly_limit_follow_their_settings() {
    let cloud = Cloud::builder()
        .rules(|r| {
            r.send_cooldown_secs = 10;
            r.sends_per_hour = 2;
        })
        .start()
        .await;
    cloud.account("ed@example.com").await;
    assert_eq!(
        cloud
            .send_code("ed@example.com", "TERMINAL_BIND")
            .await
            .code(),
        ResultCode::Success
    );
    // (One second less if the wall clock ticked between the two sends, as
    // it can on a slow database.)
    let wait = cloud
        .send_code("ed@example.com", "TERMINAL_BIND")
        .await
        .json["retryAfter"]
        .as_u64()
        .unwrap();
    assert!((9..=10).contains(&wait), "{wait}");
    cloud.qa().advance_clock(10).await;
    assert_eq!(
        cloud
            .send_code("ed@example.com", "TERMINAL_BIND")
            .await
            .code(),
        ResultCode::Success
    );
    cloud.qa().advance_clock(10).await;
    let r = cloud.send_code("ed@example.com", "TERMINAL_BIND").await;
    assert_eq!(r.code(), ResultCode::TooOften, "two an hour");
    // (One second less if the wall clock ticked meanwhile.)
    let wait = r.json["retryAfter"].as_u64().unwrap();
    assert!((3600 - 21..=3600 - 20).contains(&wait), "{wait}");
    // Another bizType has its own allowance.
    assert_eq!(
        cloud
            .send_code("ed@example.com", "RETRIEVE_PASSWORD")
            .await
            .code(),
        ResultCode::Success
    );
}

#[tokio::test]
async fn a_code_sent_as_a_number_keeps_its_leading_zeros() {
    // pyezvizapi (and Home Assistant through it) sends `int(code)`: 012345
    // arrives as 12345.
    let cloud = Cloud::builder()
        .rules(|r| {
            r.send_cooldown_secs = 0;
            r.sends_per_hour = 1000;
        })
        .start()
        .await;
    let mut code = String::new();
    for _ in 0..200 {
        assert_eq!(
            cloud
                .send_code("nz@example.com", "USER_REGISTRATION")
                .await
                .code(),
            ResultCode::Success
        );
        code = cloud
            .qa()
            .latest_code("nz@example.com", "USER_REGISTRATION")
            .await;
        if code.starts_with('0') {
            break;
        }
    }
    assert!(
        code.starts_with('0'),
        "no code with a leading zero in 200 sends"
    );
    let r = cloud
        .sign_up(
            "nz@example.com",
            PASSWORD,
            code.trim_start_matches('0'),
            &terminal(1),
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
}
