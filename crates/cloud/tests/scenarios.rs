//! One-click QA scenarios: each case of the guide's troubleshooting section,
//! set up by `POST /qa/scenarios/{name}`, is what a client then meets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Cloud, Reply, ResultCode, PASSWORD};
use serde_json::{json, Value};

/// Set `name` up for `account` (a fresh account when `None`).
async fn scenario(cloud: &Cloud, name: &str, account: Option<&str>) -> Value {
    let body = account.map_or_else(|| json!({}), |a| json!({ "account": a }));
    let r = cloud
        .qa_raw("POST", &format!("/qa/scenarios/{name}"), body)
        .await;
    assert_eq!(r.status, 200, "{name}: {}", r.json);
    assert_eq!(r.json["scenario"], name);
    assert!(!r.json["summary"].as_str().unwrap().is_empty());
    r.json
}

/// A fresh account's address and password, from a scenario's reply.
fn fresh(set_up: &Value) -> (String, String) {
    (
        set_up["account"].as_str().unwrap().to_owned(),
        set_up["password"].as_str().unwrap().to_owned(),
    )
}

async fn new_terminal_login(cloud: &Cloud, account: &str, password: &str) -> Reply {
    cloud.login(account, password, &terminal(7), None).await
}

#[tokio::test]
async fn the_list_names_every_scenario_and_an_unknown_one_is_refused() {
    let cloud = Cloud::start().await;
    let r = cloud.qa_raw("GET", "/qa/scenarios", json!({})).await;
    let names: Vec<&str> = r.json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 10, "{names:?}");
    let r = cloud
        .qa_raw("POST", "/qa/scenarios/no-such-thing", json!({}))
        .await;
    assert_eq!(r.status, 404, "{}", r.json);
    assert!(r.json["meta"]["message"]
        .as_str()
        .unwrap()
        .contains("code-expired"));
    let r = cloud
        .qa_raw(
            "POST",
            "/qa/scenarios/code-expired",
            json!({"account": "nobody@example.com"}),
        )
        .await;
    assert_eq!(r.code(), ResultCode::BadRequest, "{}", r.json);
}

#[tokio::test]
async fn codes_that_never_arrive_or_arrive_late() {
    let cloud = Cloud::start().await;
    let set_up = scenario(&cloud, "code-never-arrives", None).await;
    let (account, password) = fresh(&set_up);
    assert_eq!(password, "Scenario-Pass-1");
    assert_eq!(
        new_terminal_login(&cloud, &account, &password).await.code(),
        ResultCode::NewTerminal
    );
    cloud.send_code(&account, "TERMINAL_BIND").await;
    assert_eq!(cloud.qa().outbox(&account).await[0].status, "dropped");

    cloud.qa().clear_faults().await;
    scenario(&cloud, "code-arrives-late", Some(&account)).await;
    cloud.qa().advance_clock(61).await;
    cloud.send_code(&account, "TERMINAL_BIND").await;
    assert_eq!(cloud.qa().outbox(&account).await[0].status, "delayed");
    cloud.qa().advance_clock(301).await;
    cloud.qa().wait_status(&account, "delivered").await;
}

#[tokio::test]
async fn an_expired_code_and_a_code_with_one_try_left() {
    let cloud = Cloud::start().await;
    cloud.account("ex@example.com").await;
    let set_up = scenario(&cloud, "code-expired", Some("ex@example.com")).await;
    assert!(
        set_up["password"].is_null(),
        "an existing account's password is its own"
    );
    let code = cloud
        .qa()
        .latest_code("ex@example.com", "TERMINAL_BIND")
        .await;
    let r = cloud
        .login("ex@example.com", PASSWORD, &terminal(2), Some(&code))
        .await;
    assert_eq!(r.code(), ResultCode::CodeDead, "{}", r.json);
    assert!(r.json["meta"]["message"]
        .as_str()
        .unwrap()
        .contains("expired"));

    scenario(&cloud, "one-try-left", Some("ex@example.com")).await;
    let code = cloud
        .qa()
        .latest_code("ex@example.com", "TERMINAL_BIND")
        .await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = cloud
        .login("ex@example.com", PASSWORD, &terminal(2), Some(wrong))
        .await;
    assert_eq!(r.code(), ResultCode::CodeDead, "{}", r.json);
    assert!(r.json["meta"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Too many wrong entries"));
}

#[tokio::test]
async fn a_captcha_a_lock_a_full_account_and_another_region() {
    let cloud = Cloud::start().await;
    let (account, password) = fresh(&scenario(&cloud, "captcha-required", None).await);
    let r = new_terminal_login(&cloud, &account, &password).await;
    assert_eq!(r.code(), ResultCode::AccountProtected, "{}", r.json);
    assert_eq!(r.json["needCaptcha"], true);

    let (account, password) = fresh(&scenario(&cloud, "account-locked", None).await);
    let r = new_terminal_login(&cloud, &account, &password).await;
    assert_eq!(r.code(), ResultCode::AccountProtected, "{}", r.json);
    let wait = r.json["retryAfter"].as_u64().unwrap();
    assert!((1100..=1200).contains(&wait), "{wait}");

    let (account, password) = fresh(&scenario(&cloud, "terminals-full", None).await);
    let r = new_terminal_login(&cloud, &account, &password).await;
    assert_eq!(r.code(), ResultCode::TooManyTerminals, "{}", r.json);
    assert_eq!(
        r.json["terminalData"]["terminals"]
            .as_array()
            .unwrap()
            .len(),
        10
    );

    let set_up = scenario(&cloud, "other-region", None).await;
    let (account, password) = fresh(&set_up);
    let r = new_terminal_login(&cloud, &account, &password).await;
    assert_eq!(r.code(), ResultCode::WrongRegion, "{}", r.json);
    assert_eq!(
        r.json["loginArea"]["apiDomain"],
        cloud.second_region_url().trim_start_matches("http://")
    );
}

#[tokio::test]
async fn the_cloud_times_out_and_a_session_expires() {
    let cloud = Cloud::start().await;
    cloud.account("se@example.com").await;
    let r = cloud
        .login("se@example.com", PASSWORD, &terminal(1), None)
        .await;
    let session = r.session();
    let token = r.login_session().rf_session_id;
    assert_eq!(cloud.user_info(&session).await.status, 200);
    scenario(&cloud, "session-expired", Some("se@example.com")).await;
    assert_eq!(cloud.user_info(&session).await.status, 401);
    assert_eq!(
        cloud.refresh(&token, &terminal(1)).await.code(),
        ResultCode::RefreshDead
    );

    scenario(&cloud, "cloud-times-out", Some("se@example.com")).await;
    let started = std::time::Instant::now();
    let r = cloud.areas().await;
    assert_eq!(r.status, 504);
    assert!(started.elapsed() >= std::time::Duration::from_secs(5));
    // The QA surface itself still answers; clearing the faults serves again.
    cloud.qa().clear_faults().await;
    assert_eq!(cloud.areas().await.status, 200);
}
