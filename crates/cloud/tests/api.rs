//! The cloud through HTTP: sign-up, terminal binding, the code ladder, cooldown,
//! sessions. Time moves through the QA clock, never by sleeping.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Cloud, Reply, ResultCode, PASSWORD};

/// A dead refresh token: 403 in `meta.code` on HTTP 200, as the public clients
/// read it.
fn assert_refresh_dead(r: &Reply) {
    assert_eq!(
        (r.status, r.code()),
        (200, ResultCode::RefreshDead),
        "{}",
        r.json
    );
    assert!(r.json.get("sessionInfo").is_none(), "{}", r.json);
}

#[tokio::test]
async fn area_list_names_each_region_with_its_api_domain() {
    let cloud = Cloud::start().await;
    let r = cloud.areas().await;
    assert_eq!(r.code(), ResultCode::Success);
    let areas = r.json["areaList"].as_array().unwrap();
    assert!(areas.len() >= 2);
    let uk = areas.iter().find(|a| a["id"] == 44).unwrap();
    assert_eq!(uk["telephoneCode"], "44");
    // A bare host:port, never a URL: clients build https://{apiDomain}{path}.
    assert_eq!(uk["apiDomain"], cloud.url.strip_prefix("http://").unwrap());
}

#[tokio::test]
async fn sign_up_with_a_code_binds_the_terminal_it_was_made_on() {
    let cloud = Cloud::start().await;
    let sent = cloud
        .send_code("Ana@Example.com", "USER_REGISTRATION")
        .await;
    assert_eq!(sent.code(), ResultCode::Success, "{}", sent.json);
    assert_eq!(sent.json["contact"]["fuzzyContact"], "an***@example.com");
    assert_eq!(sent.json["contact"]["type"], "email");

    let code = cloud
        .qa()
        .latest_code("ana@example.com", "USER_REGISTRATION")
        .await;
    assert_eq!(code.len(), 6);
    let r = cloud
        .sign_up("ana@example.com", PASSWORD, &code, &terminal(1))
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(r.json["loginUser"]["email"], "ana@example.com");

    // The same terminal logs in with no code.
    let r = cloud
        .login("ana@example.com", PASSWORD, &terminal(1), None)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let session = r.json["loginSession"]["sessionId"].as_str().unwrap();
    assert_eq!(session.split('.').count(), 3, "sessionId is a JWT");
    assert!(r.json["loginSession"]["rfSessionId"].as_str().is_some());
    assert_eq!(r.json["loginTerminalStatus"]["terminalBinded"], 1);

    // A code is single-use: signing up again with it fails.
    let again = cloud
        .sign_up("ana@example.com", PASSWORD, &code, &terminal(1))
        .await;
    assert_eq!(again.code(), ResultCode::CodeDead);
    assert_eq!(again.json["reason"], "used", "{}", again.json);
}

#[tokio::test]
async fn a_new_terminal_gets_6002_then_binds_with_the_code() {
    let cloud = Cloud::start().await;
    cloud.account("bo@example.com").await;

    let r = cloud
        .login("bo@example.com", PASSWORD, &terminal(2), None)
        .await;
    assert_eq!(r.code(), ResultCode::NewTerminal, "{}", r.json);
    assert_eq!(r.json["contact"]["fuzzyContact"], "b***@example.com");
    assert!(r.json.get("loginSession").is_none());

    let sent = cloud.send_code("bo@example.com", "TERMINAL_BIND").await;
    assert_eq!(sent.code(), ResultCode::Success);
    let code = cloud
        .qa()
        .latest_code("bo@example.com", "TERMINAL_BIND")
        .await;
    let r = cloud
        .login("bo@example.com", PASSWORD, &terminal(2), Some(&code))
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);

    // Bound from now on.
    let r = cloud
        .login("bo@example.com", PASSWORD, &terminal(2), None)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    // Another terminal is still new.
    let r = cloud
        .login("bo@example.com", PASSWORD, &terminal(3), None)
        .await;
    assert_eq!(r.code(), ResultCode::NewTerminal);
}

#[tokio::test]
async fn codes_are_typed_forgivingly() {
    let cloud = Cloud::start().await;
    cloud.account("cy@example.com").await;
    cloud.send_code("cy@example.com", "TERMINAL_BIND").await;
    let code = cloud
        .qa()
        .latest_code("cy@example.com", "TERMINAL_BIND")
        .await;
    let typed = format!(" {}-{} ", &code[..3], &code[3..])
        .replace('0', "O")
        .replace('1', "l");
    let r = cloud
        .login("cy@example.com", PASSWORD, &terminal(2), Some(&typed))
        .await;
    assert_eq!(r.code(), ResultCode::Success, "typed {typed:?}: {}", r.json);
}

#[tokio::test]
async fn wrong_codes_climb_the_ladder_then_the_code_dies() {
    let cloud = Cloud::start().await;
    cloud.account("di@example.com").await;
    cloud.send_code("di@example.com", "TERMINAL_BIND").await;
    let right = cloud
        .qa()
        .latest_code("di@example.com", "TERMINAL_BIND")
        .await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };

    let mut seen = Vec::new();
    for _ in 0..5 {
        let r = cloud
            .login("di@example.com", PASSWORD, &terminal(2), Some(wrong))
            .await;
        seen.push((r.code(), r.json["remainingAttempts"].as_u64()));
    }
    assert_eq!(
        seen,
        vec![
            (ResultCode::WrongCode, Some(4)),
            (ResultCode::WrongCode, Some(3)),
            (ResultCode::WrongCode, Some(2)),
            (ResultCode::LastTry, Some(1)),
            (ResultCode::CodeDead, None)
        ]
    );
    // The right code no longer works: it was burned.
    let r = cloud
        .login("di@example.com", PASSWORD, &terminal(2), Some(&right))
        .await;
    assert_eq!(r.code(), ResultCode::CodeDead);
    // Why, as a value a client can word in its own language.
    assert_eq!(r.json["reason"], "burned", "{}", r.json);
}

#[tokio::test]
async fn codes_expire_after_ten_minutes() {
    let cloud = Cloud::start().await;
    cloud.account("ed@example.com").await;
    cloud.send_code("ed@example.com", "TERMINAL_BIND").await;
    let code = cloud
        .qa()
        .latest_code("ed@example.com", "TERMINAL_BIND")
        .await;
    cloud.qa().advance_clock(10 * 60 + 1).await;
    let r = cloud
        .login("ed@example.com", PASSWORD, &terminal(2), Some(&code))
        .await;
    assert_eq!(r.code(), ResultCode::CodeDead);
    assert_eq!(r.json["reason"], "expired", "{}", r.json);
    assert!(r.json["meta"]["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[tokio::test]
async fn sending_is_throttled_and_a_newer_code_kills_the_older() {
    let cloud = Cloud::start().await;
    cloud.account("fa@example.com").await;
    assert_eq!(
        cloud
            .send_code("fa@example.com", "TERMINAL_BIND")
            .await
            .code(),
        ResultCode::Success
    );
    let first = cloud
        .qa()
        .latest_code("fa@example.com", "TERMINAL_BIND")
        .await;

    cloud.qa().advance_clock(20).await;
    let r = cloud.send_code("fa@example.com", "TERMINAL_BIND").await;
    assert_eq!(r.code(), ResultCode::TooOften, "{}", r.json);
    // 40 seconds left, or 39 if the wall clock ticked between the two sends.
    let wait = r.json["retryAfter"].as_u64().unwrap();
    assert!((39..=40).contains(&wait), "{wait}");
    assert_eq!(r.retry_after_header, Some(wait.to_string()));
    assert_eq!(
        cloud
            .qa()
            .outbox("fa@example.com")
            .await
            .iter()
            .filter(|m| m.biz_type.as_deref() == Some("TERMINAL_BIND"))
            .count(),
        1
    );

    cloud.qa().advance_clock(40).await;
    assert_eq!(
        cloud
            .send_code("fa@example.com", "TERMINAL_BIND")
            .await
            .code(),
        ResultCode::Success
    );
    let second = cloud
        .qa()
        .latest_code("fa@example.com", "TERMINAL_BIND")
        .await;
    if first != second {
        let r = cloud
            .login("fa@example.com", PASSWORD, &terminal(2), Some(&first))
            .await;
        assert_eq!(
            r.code(),
            ResultCode::CodeDead,
            "the older code must be dead"
        );
    }
    let r = cloud
        .login("fa@example.com", PASSWORD, &terminal(2), Some(&second))
        .await;
    assert_eq!(r.code(), ResultCode::Success);
}

#[tokio::test]
async fn sign_up_never_reveals_a_registered_address() {
    let cloud = Cloud::start().await;
    cloud.account("gu@example.com").await;
    cloud.qa().advance_clock(3600).await;
    let taken = cloud.send_code("gu@example.com", "USER_REGISTRATION").await;
    let free = cloud.send_code("gx@example.com", "USER_REGISTRATION").await;
    assert_eq!(taken.code(), ResultCode::Success);
    assert_eq!(taken.json["retryAfter"], free.json["retryAfter"]);
    let notice = &cloud.qa().outbox("gu@example.com").await[0];
    assert!(
        notice.code.is_none(),
        "the owner gets a notice, not a code: {notice:?}"
    );
    assert!(notice.body.contains("already has an account"));
    // Unknown accounts asking for a login code get the same reply and no message.
    let r = cloud.send_code("nobody@example.com", "TERMINAL_BIND").await;
    assert_eq!(r.code(), ResultCode::Success);
    assert!(cloud.qa().outbox("nobody@example.com").await.is_empty());
}

#[tokio::test]
async fn login_errors_say_what_is_wrong() {
    let cloud = Cloud::start().await;
    cloud.account("ha@example.com").await;
    assert_eq!(
        cloud
            .login("nobody@example.com", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::AccountMissing
    );
    assert_eq!(
        cloud
            .login("ha@example.com", "Wrong-pass-1", &terminal(1), None)
            .await
            .code(),
        ResultCode::WrongPassword
    );
    // A wrong password on a new terminal is still 1014, never 6002.
    assert_eq!(
        cloud
            .login("ha@example.com", "Wrong-pass-1", &terminal(9), None)
            .await
            .code(),
        ResultCode::WrongPassword
    );
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_never_a_5xx() {
    let cloud = Cloud::start().await;
    let f = terminal(1);
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/v3/users/login/v2", vec![]),
        (
            "/v3/users/login/v2",
            vec![("account", "x"), ("password", "y")],
        ),
        (
            "/v3/users/login/v2",
            vec![
                ("account", "a@b.co"),
                ("password", "zz"),
                ("featureCode", "has a space"),
            ],
        ),
        (
            "/v3/users/regist/v2",
            vec![
                ("account", "a@b.co"),
                ("password", "5f4dcc3b5aa765d61d8327deb882cf99"),
                ("areaId", "999"),
                ("smsCode", "123456"),
            ],
        ),
        (
            "/v3/sms/nologin/checkcode",
            vec![("from", "a@b.co"), ("bizType", "NOPE")],
        ),
        (
            "/v3/sms/nologin/checkcode",
            vec![("from", "\u{0}"), ("bizType", "USER_REGISTRATION")],
        ),
    ];
    for (path, form) in cases {
        let r = cloud.post(path, &f, &form).await;
        assert_eq!(r.status, 200, "{path} {form:?}");
        assert_ne!(r.code(), ResultCode::Success, "{path} {form:?}");
        assert!(!r.json["meta"]["message"].as_str().unwrap().is_empty());
    }
    let r = cloud
        .send(
            cloud
                .http
                .post(format!("{}/v3/users/login/v2", cloud.url))
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    let cloud = Cloud::start().await;
    cloud.account("io@example.com").await;
    let r = cloud
        .login("io@example.com", PASSWORD, &terminal(1), None)
        .await;
    let first = r.login_session().rf_session_id;

    let r = cloud.refresh(&first, &terminal(1)).await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let second = r.json["sessionInfo"]["refreshSessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = r.json["sessionInfo"]["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    assert_eq!(cloud.user_info(&session).await.code(), ResultCode::Success);

    // The old token is dead once used, and showing it again kills the new one too.
    assert_refresh_dead(&cloud.refresh(&first, &terminal(1)).await);
    assert_refresh_dead(&cloud.refresh(&second, &terminal(1)).await);
    assert_eq!(cloud.user_info(&session).await.status, 401);
}

#[tokio::test]
async fn a_refresh_token_only_works_for_its_own_terminal_and_expires() {
    let cloud = Cloud::start().await;
    cloud.account("jo@example.com").await;
    let r = cloud
        .login("jo@example.com", PASSWORD, &terminal(1), None)
        .await;
    let token = r.login_session().rf_session_id;
    assert_refresh_dead(&cloud.refresh(&token, &terminal(2)).await);
    cloud.qa().advance_clock(31 * 24 * 3600).await;
    assert_refresh_dead(&cloud.refresh(&token, &terminal(1)).await);
}

#[tokio::test]
async fn sessions_expire_after_a_day() {
    let cloud = Cloud::start().await;
    cloud.account("ka@example.com").await;
    let r = cloud
        .login("ka@example.com", PASSWORD, &terminal(1), None)
        .await;
    let session = r.login_session().session_id;
    assert_eq!(cloud.user_info(&session).await.code(), ResultCode::Success);
    cloud.qa().advance_clock(24 * 3600).await;
    assert_eq!(cloud.user_info(&session).await.status, 401);
}

#[tokio::test]
async fn logout_revokes_the_session_and_its_refresh_token() {
    let cloud = Cloud::start().await;
    cloud.account("lu@example.com").await;
    let r = cloud
        .login("lu@example.com", PASSWORD, &terminal(1), None)
        .await;
    let session = r.login_session().session_id;
    let token = r.login_session().rf_session_id;
    let info = cloud.user_info(&session).await;
    assert_eq!(info.json["userInfo"]["fuzzyEmail"], "l***@example.com");

    assert_eq!(cloud.logout(&session).await.code(), ResultCode::Success);
    assert_eq!(cloud.user_info(&session).await.status, 401);
    assert_refresh_dead(&cloud.refresh(&token, &terminal(1)).await);
    assert_eq!(cloud.logout(&session).await.status, 401);
    assert_eq!(cloud.user_info("garbage").await.status, 401);
}

#[tokio::test]
async fn state_survives_a_restart_on_the_same_database() {
    let mut cloud = Cloud::start().await;
    cloud.account("mo@example.com").await;
    let r = cloud
        .login("mo@example.com", PASSWORD, &terminal(1), None)
        .await;
    let session = r.login_session().session_id;
    cloud.stop().await;

    cloud.start_again().await;
    assert_eq!(
        cloud.user_info(&session).await.code(),
        ResultCode::Success,
        "sessions survive"
    );
    assert_eq!(
        cloud
            .login("mo@example.com", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::Success,
        "terminals survive"
    );
}

#[tokio::test]
async fn a_malformed_account_is_2003_and_login_v5_is_an_alias() {
    let cloud = Cloud::start().await;
    let r = cloud.send_code("not an address", "USER_REGISTRATION").await;
    assert_eq!(r.code(), ResultCode::InvalidAccount, "{}", r.json);
    let r = cloud.login("12", PASSWORD, &terminal(1), None).await;
    assert_eq!(r.code(), ResultCode::InvalidAccount);

    cloud.account("v5@example.com").await;
    let digest = hik_proto::PasswordDigest::of_password(PASSWORD);
    let form = [("account", "v5@example.com"), ("password", digest.as_str())];
    let r = cloud.post("/v3/users/login/v5", &terminal(1), &form).await;
    assert_eq!(
        r.code(),
        ResultCode::Success,
        "featureCode from the header: {}",
        r.json
    );
    assert!(r.json["loginSession"]["sessionId"].as_str().is_some());
}

/// A flow that is refused part-way keeps nothing it wrote: a sign-up whose
/// address was taken after its code was sent is refused (2001) after the
/// code was checked, and the code is not spent, no terminal is bound and no
/// devices are made. (Before each flow became one transaction that rolls
/// back on an error, the code was spent by the refused attempt.)
#[tokio::test]
async fn a_flow_refused_part_way_leaves_no_partial_write() {
    let cloud = Cloud::start().await;
    let address = "late@example.com";
    cloud.send_code(address, "USER_REGISTRATION").await;
    let code = cloud.qa().latest_code(address, "USER_REGISTRATION").await;
    // Someone else opens the address meanwhile.
    cloud.qa().create_account(address, 44).await;
    let counts = "SELECT (SELECT COUNT(*) FROM devices), (SELECT COUNT(*) FROM terminals),
                         (SELECT COUNT(*) FROM users)";
    let before = cloud.stored(counts).await;
    for _ in 0..2 {
        let r = cloud.sign_up(address, PASSWORD, &code, &terminal(1)).await;
        // The second time too: the code was not spent by the first.
        assert_eq!(r.code(), ResultCode::AccountExists, "{}", r.json);
    }
    assert_eq!(cloud.stored(counts).await, before);
    let states = cloud
        .stored("SELECT state, wrong FROM codes WHERE biz_type = 'USER_REGISTRATION'")
        .await;
    assert_eq!(states, [[Some("live".to_owned()), Some("0".to_owned())]]);
}
