//! Security notices (OWASP ASVS 2.2.3): a message with no code, at every
//! address of the account, after each change that matters to its safety;
//! and the account's recent security activity, this terminal's marked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_proto::qa::OutboxMessage;
use hik_testkit::{terminal, Cloud, ResultCode, PASSWORD};

/// The notices sent to `to`, newest first.
async fn notices(cloud: &Cloud, to: &str) -> Vec<OutboxMessage> {
    let list = cloud.qa().outbox_for(to, "SECURITY_NOTICE").await;
    assert!(
        list.iter().all(|m| m.code.is_none()),
        "a notice has no code: {list:?}"
    );
    list
}

#[tokio::test]
async fn signing_up_sends_no_notice_but_a_new_terminal_does() {
    let cloud = Cloud::start().await;
    cloud.account("ana@example.com").await;
    assert!(notices(&cloud, "ana@example.com").await.is_empty());

    // A known terminal logging in again: nothing new.
    cloud.session("ana@example.com", PASSWORD).await;
    assert!(notices(&cloud, "ana@example.com").await.is_empty());

    let r = cloud
        .login_named("ana@example.com", PASSWORD, &terminal(2), "Office PC", None)
        .await;
    assert_eq!(r.code(), ResultCode::NewTerminal);
    assert!(
        notices(&cloud, "ana@example.com").await.is_empty(),
        "held for its code: not bound yet"
    );
    cloud.session_on("ana@example.com", &terminal(3)).await;
    let sent = notices(&cloud, "ana@example.com").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let n = &sent[0];
    assert_eq!(n.channel, "email");
    assert_eq!(
        n.subject,
        "Hik-Connect security notice: a new terminal can use your account"
    );
    assert!(n.body.contains("\"Test PC\""), "its name: {}", n.body);
    assert!(
        n.body.contains(" GMT from 127.0.0.1."),
        "when and where: {}",
        n.body
    );
    assert_eq!(n.status, "delivered");
}

#[tokio::test]
async fn password_changes_and_resets_are_told() {
    let cloud = Cloud::start().await;
    cloud.account("bo@example.com").await;
    let session = cloud.session("bo@example.com", PASSWORD).await;
    let r = cloud
        .change_password(&session, PASSWORD, "New-Horse-42")
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let sent = notices(&cloud, "bo@example.com").await;
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].body.contains("password was changed"),
        "{}",
        sent[0].body
    );

    cloud.qa().advance_clock(61).await;
    cloud.send_code("bo@example.com", "RETRIEVE_PASSWORD").await;
    let code = cloud
        .qa()
        .latest_code("bo@example.com", "RETRIEVE_PASSWORD")
        .await;
    let r = cloud
        .reset_password("bo@example.com", "Other-Horse-77", &code)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let sent = notices(&cloud, "bo@example.com").await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent[0].body.contains("password was reset"),
        "{}",
        sent[0].body
    );
    assert!(sent[0].body.contains("Every session was ended"));
}

#[tokio::test]
async fn a_new_email_is_told_at_the_old_address_and_the_new() {
    let cloud = Cloud::start().await;
    cloud.account("cy@example.com").await;
    let session = cloud.session("cy@example.com", PASSWORD).await;
    let old = cloud
        .code_for(
            &session,
            "UPDATE_EMAIL_VALIDATE_OLD_EMAIL",
            "cy@example.com",
            &[("smsType", "3")],
        )
        .await;
    let new = cloud
        .code_for(
            &session,
            "UPDATE_EMAIL_VALIDATE_NEW_EMAIL",
            "cy.new@example.com",
            &[("contact", "cy.new@example.com")],
        )
        .await;
    let r = cloud
        .authed(
            "PUT",
            "/v3/users/email",
            &session,
            &[
                ("email", "cy.new@example.com"),
                ("smsCode", &new),
                ("oldSmsCode", &old),
                ("oldSmsType", "3"),
            ],
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    for to in ["cy@example.com", "cy.new@example.com"] {
        let sent = notices(&cloud, to).await;
        assert_eq!(sent.len(), 1, "{to}: {sent:?}");
        assert!(
            sent[0]
                .body
                .contains("email was changed to cy***@example.com"),
            "{to}: {}",
            sent[0].body
        );
    }
}

#[tokio::test]
async fn two_step_off_and_deletion_are_told_and_two_step_on_is_not() {
    let cloud = Cloud::start().await;
    cloud.account("di@example.com").await;
    let session = cloud.session("di@example.com", PASSWORD).await;
    // From a bound terminal, no code is needed.
    let off = cloud
        .authed("PUT", "/v3/terminals/status", &session, &[("enable", "0")])
        .await;
    assert_eq!(off.code(), ResultCode::Success, "{}", off.json);
    let on = cloud
        .authed("PUT", "/v3/terminals/status", &session, &[("enable", "1")])
        .await;
    assert_eq!(on.code(), ResultCode::Success, "{}", on.json);
    let sent = notices(&cloud, "di@example.com").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0]
        .body
        .contains("Two-step verification was turned off"));

    let code = cloud
        .code_for(
            &session,
            "USER_DELETE",
            "di@example.com",
            &[("smsType", "3")],
        )
        .await;
    let r = cloud
        .authed("DELETE", "/v3/users", &session, &[("smsCode", &code)])
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let sent = notices(&cloud, "di@example.com").await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent[0].body.contains("account was deleted"),
        "{}",
        sent[0].body
    );
}

#[tokio::test]
async fn recent_activity_lists_the_latest_events_and_marks_this_terminal() {
    let cloud = Cloud::start().await;
    cloud.account("ed@example.com").await;
    let r = cloud
        .login("ed@example.com", "Wrong-Horse-1", &terminal(2), None)
        .await;
    assert_eq!(r.code(), ResultCode::WrongPassword);
    let other = cloud.session_on("ed@example.com", &terminal(3)).await;
    let mine = cloud.session("ed@example.com", PASSWORD).await;

    let r = cloud.authed("GET", "/v3/users/activity", &mine, &[]).await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let list: Vec<hik_proto::wire::Activity> =
        serde_json::from_value(r.json["activity"].clone()).unwrap();
    let newest = &list[0];
    assert_eq!(
        (
            newest.event.as_str(),
            newest.outcome.as_str(),
            newest.current
        ),
        ("sign_in", "ok", true),
        "{list:#?}"
    );
    assert_eq!(newest.terminal.as_deref(), Some("Test PC"));
    assert_eq!(newest.ip, "127.0.0.1");
    let refused = list
        .iter()
        .find(|e| e.event == "sign_in" && e.outcome == "refused")
        .expect("the wrong password is listed");
    assert!(!refused.current, "it came from terminal 2");
    let bound = list
        .iter()
        .find(|e| e.event == "terminal_bound")
        .expect("terminal 3 bound");
    assert!(!bound.current);
    assert!(list.windows(2).all(|w| w[0].at >= w[1].at), "newest first");

    // The same list, seen from terminal 3: its own events are the marked ones.
    let r = cloud
        .authed("GET", "/v3/users/activity", &other, &[("limit", "50")])
        .await;
    let theirs: Vec<hik_proto::wire::Activity> =
        serde_json::from_value(r.json["activity"].clone()).unwrap();
    assert!(theirs
        .iter()
        .any(|e| e.event == "terminal_bound" && e.current));
    assert!(!theirs[0].current, "the newest sign-in was terminal 1's");

    let r = cloud
        .authed("GET", "/v3/users/activity", &mine, &[("limit", "51")])
        .await;
    assert_eq!(r.code(), ResultCode::BadRequest, "{}", r.json);
    let r = cloud
        .authed("GET", "/v3/users/activity", &mine, &[("limit", "2")])
        .await;
    assert_eq!(r.json["activity"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn with_an_email_and_a_phone_the_new_terminal_step_offers_both_and_the_code_goes_to_the_one_chosen(
) {
    let cloud = Cloud::start().await;
    cloud
        .qa()
        .create(hik_proto::request::QaAccount {
            account: hik_proto::Account::parse("fay@example.com").unwrap(),
            password: hik_proto::request::Text::new(PASSWORD),
            area_id: None,
            two_step: None,
            devices: None,
            email: None,
            phone: Some(hik_proto::Phone::parse("7700900456").unwrap()),
        })
        .await;
    let r = cloud
        .login("fay@example.com", PASSWORD, &terminal(2), None)
        .await;
    assert_eq!(r.code(), ResultCode::NewTerminal);
    let offered: Vec<(String, String)> = r.json["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().to_owned(),
                c["fuzzyContact"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        offered,
        [
            ("email".to_owned(), "fa***@example.com".to_owned()),
            ("phone".to_owned(), "770***0456".to_owned())
        ]
    );
    assert_eq!(r.json["contact"]["type"], "email", "the default");

    // smsType 1: by SMS, to the phone.
    let form = [
        ("from", "fay@example.com"),
        ("bizType", "TERMINAL_BIND"),
        ("smsType", "1"),
    ];
    let sent = cloud
        .post("/v3/sms/nologin/checkcode", &terminal(2), &form)
        .await;
    assert_eq!(sent.code(), ResultCode::Success, "{}", sent.json);
    assert_eq!(sent.json["contact"]["fuzzyContact"], "770***0456");
    let code = cloud.qa().latest_code("7700900456", "TERMINAL_BIND").await;
    assert!(cloud
        .qa()
        .outbox_for("fay@example.com", "TERMINAL_BIND")
        .await
        .is_empty());
    let r = cloud
        .login("fay@example.com", PASSWORD, &terminal(2), Some(&code))
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);

    // smsType 3 (or none): by email.
    cloud.qa().advance_clock(61).await;
    let form = [
        ("from", "fay@example.com"),
        ("bizType", "TERMINAL_BIND"),
        ("smsType", "3"),
    ];
    cloud
        .post("/v3/sms/nologin/checkcode", &terminal(3), &form)
        .await;
    assert_eq!(
        cloud
            .qa()
            .outbox_for("fay@example.com", "TERMINAL_BIND")
            .await
            .len(),
        1
    );

    // An account with one address offers no choice.
    cloud.account("gil@example.com").await;
    let r = cloud
        .login("gil@example.com", PASSWORD, &terminal(2), None)
        .await;
    assert_eq!(r.code(), ResultCode::NewTerminal);
    assert!(r.json.get("contacts").is_none(), "{}", r.json);
}

#[tokio::test]
async fn a_test_code_to_an_address_is_confirmed_when_typed_back() {
    let cloud = Cloud::start().await;
    cloud.account("tex@example.com").await;
    let session = cloud.session("tex@example.com", PASSWORD).await;
    let code = cloud
        .code_for(
            &session,
            "CONTACT_TEST",
            "tex@example.com",
            &[("smsType", "3")],
        )
        .await;
    let message = &cloud
        .qa()
        .outbox_for("tex@example.com", "CONTACT_TEST")
        .await[0];
    assert!(
        message
            .body
            .contains("check that this address receives your codes"),
        "{}",
        message.body
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = cloud
        .authed(
            "POST",
            "/v3/users/contact/test",
            &session,
            &[("smsCode", wrong)],
        )
        .await;
    assert_eq!(r.code(), ResultCode::WrongCode, "{}", r.json);
    let r = cloud
        .authed(
            "POST",
            "/v3/users/contact/test",
            &session,
            &[("smsCode", &code)],
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let r = cloud
        .authed(
            "POST",
            "/v3/users/contact/test",
            &session,
            &[("smsCode", &code)],
        )
        .await;
    assert_eq!(
        r.code(),
        ResultCode::CodeDead,
        "a test code works once: {}",
        r.json
    );
    let r = cloud
        .authed("GET", "/v3/users/activity", &session, &[])
        .await;
    let events: Vec<&str> = r.json["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(events.contains(&"contact_tested"), "{events:?}");
}
