//! Logged-in account management through HTTP: terminals, two-step verification,
//! the 1069 way out, deleting the account, changing email and phone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Cloud, ResultCode, PASSWORD};

#[tokio::test]
async fn terminals_are_listed_and_a_removed_one_must_verify_again() {
    let cloud = Cloud::start().await;
    cloud.account("ana@example.com").await;
    let here = cloud.session_on("ana@example.com", &terminal(1)).await;
    let there = cloud.session_on("ana@example.com", &terminal(2)).await;

    let r = cloud
        .authed(
            "GET",
            "/v3/terminals",
            &here,
            &[("limit", "1"), ("offset", "0")],
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(r.json["page"]["total"], 2);
    assert_eq!(r.json["page"]["hasNext"], true);
    let r = cloud.authed("GET", "/v3/terminals", &here, &[]).await;
    let list = r.json["terminals"].as_array().unwrap();
    let me = list
        .iter()
        .find(|t| t["sign"] == terminal(1).as_str())
        .unwrap();
    assert_eq!(me["current"], true);
    assert_eq!(me["name"], "Test PC");
    assert!(me["addTime"].as_i64().unwrap() > 0);
    assert_eq!(list.iter().filter(|t| t["current"] == true).count(), 1);

    let r = cloud
        .authed("GET", "/v3/terminals/status", &here, &[])
        .await;
    assert_eq!(
        r.json["terminalStatus"],
        serde_json::json!({"terminalBinded": 1, "terminalOpened": 1})
    );

    // From a bound terminal, removing another needs no code; its session ends.
    let r = cloud
        .authed(
            "POST",
            "/v3/terminals/unbind",
            &here,
            &[("signs", &terminal(2))],
        )
        .await;
    assert_eq!(
        (r.code(), r.json["removed"].as_u64()),
        (ResultCode::Success, Some(1)),
        "{}",
        r.json
    );
    assert_eq!(cloud.user_info(&there).await.status, 401);
    assert_eq!(
        cloud
            .login("ana@example.com", PASSWORD, &terminal(2), None)
            .await
            .code(),
        ResultCode::NewTerminal
    );
}

#[tokio::test]
async fn with_two_step_off_new_terminals_log_straight_in_and_stay_unbound() {
    let cloud = Cloud::start().await;
    cloud.account("bo@example.com").await;
    let here = cloud.session_on("bo@example.com", &terminal(1)).await;
    let r = cloud
        .authed("PUT", "/v3/terminals/status", &here, &[("enable", "0")])
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);

    let r = cloud
        .login("bo@example.com", PASSWORD, &terminal(3), None)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(
        r.json["loginTerminalStatus"],
        serde_json::json!({"terminalBinded": 0, "terminalOpened": 0})
    );
    let unbound = r.login_session().session_id;

    // From an unbound terminal, sensitive switches need a fresh code: 80000 first.
    let r = cloud
        .authed("PUT", "/v3/terminals/status", &unbound, &[("enable", "1")])
        .await;
    assert_eq!(r.code(), ResultCode::SensitiveOperation, "{}", r.json);
    assert_eq!(r.json["contact"]["fuzzyContact"], "b***@example.com");
    let code = cloud
        .code_for(&unbound, "TERMINAL_BIND", "bo@example.com", &[])
        .await;
    let r = cloud
        .authed(
            "PUT",
            "/v3/terminals/status",
            &unbound,
            &[("enable", "1"), ("smsCode", &code)],
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(
        cloud
            .login("bo@example.com", PASSWORD, &terminal(4), None)
            .await
            .code(),
        ResultCode::NewTerminal
    );

    let r = cloud
        .authed(
            "POST",
            "/v3/terminals/unbind",
            &unbound,
            &[("signs", &terminal(1))],
        )
        .await;
    assert_eq!(r.code(), ResultCode::SensitiveOperation);
    let code = cloud
        .code_for(&unbound, "TERMINAL_DELETE", "bo@example.com", &[])
        .await;
    let r = cloud
        .authed(
            "POST",
            "/v3/terminals/unbind",
            &unbound,
            &[("signs", &terminal(1)), ("smsCode", &code)],
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
}

#[tokio::test]
async fn a_full_account_gets_1069_and_can_make_room_without_logging_in() {
    let cloud = Cloud::start().await;
    cloud.account("cy@example.com").await; // terminal 1 bound by sign-up
    for n in 2..=10 {
        cloud.session_on("cy@example.com", &terminal(n)).await;
    }
    let r = cloud
        .login("cy@example.com", PASSWORD, &terminal(11), None)
        .await;
    assert_eq!(r.code(), ResultCode::TooManyTerminals, "{}", r.json);
    let data = &r.json["terminalData"];
    assert_eq!(data["limits"], 10);
    assert_eq!(data["terminals"].as_array().unwrap().len(), 10);
    let temp_id = data["tempId"].as_str().unwrap().to_owned();

    cloud.qa().advance_clock(61).await;
    assert_eq!(
        cloud
            .send_code("cy@example.com", "TERMINAL_DELETE")
            .await
            .code(),
        ResultCode::Success
    );
    let code = cloud
        .qa()
        .latest_code("cy@example.com", "TERMINAL_DELETE")
        .await;
    let form = [
        ("tempId", temp_id.as_str()),
        ("signs", &terminal(5)),
        ("smsCode", &code),
    ];
    let r = cloud
        .post("/v3/terminals/nologin", &terminal(11), &form)
        .await;
    assert_eq!(
        (r.code(), r.json["removed"].as_u64()),
        (ResultCode::Success, Some(1)),
        "{}",
        r.json
    );
    // A tempId is not a session, and a bad one is refused.
    let r = cloud
        .post(
            "/v3/terminals/nologin",
            &terminal(11),
            &[
                ("tempId", "nope"),
                ("signs", &terminal(6)),
                ("smsCode", "123456"),
            ],
        )
        .await;
    assert_ne!(r.code(), ResultCode::Success);

    // Room again: the new terminal now meets the ordinary code step.
    assert_eq!(
        cloud
            .login("cy@example.com", PASSWORD, &terminal(11), None)
            .await
            .code(),
        ResultCode::NewTerminal
    );
}

#[tokio::test]
async fn deleting_the_account_needs_its_code_and_frees_the_address() {
    let cloud = Cloud::start().await;
    cloud.account("di@example.com").await;
    let session = cloud.session_on("di@example.com", &terminal(1)).await;
    let r = cloud.authed("DELETE", "/v3/users", &session, &[]).await;
    assert_eq!(
        r.code(),
        ResultCode::SensitiveOperation,
        "a bound terminal still needs the code to delete: {}",
        r.json
    );
    let code = cloud
        .code_for(&session, "USER_DELETE", "di@example.com", &[])
        .await;
    let r = cloud
        .authed("DELETE", "/v3/users", &session, &[("smsCode", &code)])
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(cloud.user_info(&session).await.status, 401);
    assert_eq!(
        cloud
            .login("di@example.com", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::AccountMissing
    );
    cloud.qa().advance_clock(3600).await;
    cloud.account("di@example.com").await;
}

#[tokio::test]
async fn changing_the_email_takes_a_code_from_the_old_and_one_to_the_new_address() {
    let cloud = Cloud::start().await;
    cloud.account("ed@example.com").await;
    cloud.account("taken@example.com").await;
    let session = cloud.session_on("ed@example.com", &terminal(1)).await;
    let old = cloud
        .code_for(
            &session,
            "UPDATE_EMAIL_VALIDATE_OLD_EMAIL",
            "ed@example.com",
            &[("smsType", "3")],
        )
        .await;
    let new = cloud
        .code_for(
            &session,
            "UPDATE_EMAIL_VALIDATE_NEW_EMAIL",
            "eddie@example.com",
            &[("contact", "eddie@example.com")],
        )
        .await;
    let wrong = if new == "000000" { "111111" } else { "000000" };

    let change = |email: &'static str, new: String| {
        let old = old.clone();
        let session = session.clone();
        let cloud = &cloud;
        async move {
            let form = [
                ("email", email),
                ("smsCode", new.as_str()),
                ("oldSmsCode", old.as_str()),
                ("oldSmsType", "3"),
            ];
            cloud
                .authed("PUT", "/v3/users/email", &session, &form)
                .await
        }
    };
    assert_eq!(
        change("taken@example.com", new.clone()).await.code(),
        ResultCode::AddressTaken
    );
    // A wrong new code spends neither code.
    let r = change("eddie@example.com", wrong.to_owned()).await;
    assert_eq!(
        (r.code(), r.json["remainingAttempts"].as_u64()),
        (ResultCode::WrongCode, Some(4))
    );
    assert_eq!(
        change("eddie@example.com", new.clone()).await.code(),
        ResultCode::Success
    );
    assert_eq!(
        change("eddie@example.com", new).await.code(),
        ResultCode::BadRequest,
        "already this address"
    );

    assert_eq!(
        cloud
            .login("ed@example.com", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::AccountMissing
    );
    assert_eq!(
        cloud
            .login("eddie@example.com", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::Success
    );
}

#[tokio::test]
async fn an_email_account_can_add_a_phone_confirmed_by_sms() {
    let cloud = Cloud::start().await;
    cloud.account("fa@example.com").await;
    let session = cloud.session_on("fa@example.com", &terminal(1)).await;
    let old = cloud
        .code_for(
            &session,
            "UPDATE_PHONE_VALIDATE_OLD_EMAIL",
            "fa@example.com",
            &[],
        )
        .await;
    let new = cloud
        .code_for(
            &session,
            "UPDATE_PHONE_VALIDATE_NEW_PHONE",
            "7700900123",
            &[("contact", "07700 900123".trim_start_matches('0'))],
        )
        .await;
    let sms = &cloud.qa().outbox("7700900123").await[0];
    assert_eq!(sms.channel, "sms");
    let form = [
        ("phone", "7700900123"),
        ("phoneCode", "+44"),
        ("smsCode", new.as_str()),
        ("oldSmsCode", old.as_str()),
        ("oldSmsType", "3"),
    ];
    let r = cloud
        .authed("PUT", "/v3/users/phone", &session, &form)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let info = cloud.user_info(&session).await;
    assert_eq!(info.json["userInfo"]["phone"], "7700900123");
    assert_eq!(info.json["userInfo"]["fuzzyPhone"], "770***0123");
    assert_eq!(
        cloud
            .login("7700900123", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::Success
    );
}

#[tokio::test]
async fn logged_in_codes_are_throttled_and_system_info_tells_the_rules() {
    let cloud = Cloud::start().await;
    cloud.account("gu@example.com").await;
    let session = cloud.session_on("gu@example.com", &terminal(1)).await;
    cloud
        .code_for(&session, "USER_DELETE", "gu@example.com", &[])
        .await;
    let r = cloud
        .authed(
            "POST",
            "/v3/users/checkcode/mt",
            &session,
            &[("bizType", "USER_DELETE")],
        )
        .await;
    assert_eq!(r.code(), ResultCode::TooOften);
    let r = cloud
        .authed(
            "POST",
            "/v3/users/checkcode/mt",
            &session,
            &[("bizType", "USER_DELETE"), ("smsType", "1")],
        )
        .await;
    assert_eq!(
        r.code(),
        ResultCode::BadRequest,
        "this account has no phone: {}",
        r.json
    );
    let r = cloud
        .authed(
            "POST",
            "/v3/users/checkcode/mt",
            "not-a-session",
            &[("bizType", "USER_DELETE")],
        )
        .await;
    assert_eq!(r.status, 401);

    let r = cloud
        .send(
            cloud
                .http
                .get(format!("{}/v3/configurations/system/info", cloud.url)),
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(r.json["systemConfigInfo"]["codeLength"], 6);
    assert_eq!(r.json["systemConfigInfo"]["maxTerminals"], 10);
    // sysConf as EZVIZ-family clients split it: field 15 the host, 16 a port.
    let sys_conf = r.json["systemConfigInfo"]["sysConf"].as_str().unwrap();
    let fields: Vec<&str> = sys_conf.split('|').collect();
    assert!(fields.len() > 16, "{sys_conf}");
    assert_eq!(fields[15], "127.0.0.1");
    assert!(fields[16].parse::<u16>().is_ok());
    assert_eq!(r.json["systemConfigInfo"]["pushAddr"], "127.0.0.1");
}
