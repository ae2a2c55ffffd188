//! One-click QA scenarios in the real window: each case of the guide's
//! troubleshooting section, set up in one step (through the QA drawer's menu,
//! or `POST /qa/scenarios/{name}` as a suite would), and the app showing the
//! matching screen.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{log_in_through_ui, log_in_with, sign_up_through_ui, App, Cloud, Install};
use std::time::Duration;

/// An account made through QA, logged in from a new install, on the verify
/// screen with a code sent.
async fn at_verify_with_a_code(name: &str, cloud: &Cloud, account: &str) -> (App, Install) {
    cloud.qa().create_account(account, 44).await;
    let install = Install::new();
    let app = App::launch(name, cloud, &install).await;
    log_in_through_ui(&app, account).await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    app.wait_text("verify-code-sent", "the code sent", |t| {
        t.starts_with("We sent")
    })
    .await;
    (app, install)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_that_never_arrives_set_up_from_the_drawers_menu() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("nia@example.com", 44).await;
    let install = Install::new();
    let mut app = App::launch("scenario-never", &cloud, &install).await;
    log_in_through_ui(&app, "nia@example.com").await;
    app.wait_screen("verify").await;
    app.click("qa-open").await;
    app.wait_visible("qa-drawer", true).await;
    app.wait_text("qa-addresses", "the account at hand", |t| {
        t.contains("nia@example.com")
    })
    .await;
    app.select("qa-scenario", "code-never-arrives").await;
    app.click("qa-scenario-run").await;
    app.wait_text("qa-scenario-result", "what was set up", |t| {
        t.contains("dropped") && t.contains("Account: nia@example.com.")
    })
    .await;
    // The button rests again once the drawer has refreshed: the picture
    // shows the menu done, not a request under way.
    app.wait_enabled("qa-scenario-run", true, Duration::from_secs(10))
        .await;
    app.shot("scenario-menu").await;
    app.click("qa-close").await;
    app.click("verify-send").await;
    // The app says it was sent; it never arrives.
    app.wait_text("verify-code-sent", "the code sent", |t| {
        t.starts_with("We sent")
    })
    .await;
    let sent = cloud
        .qa()
        .outbox_for("nia@example.com", "TERMINAL_BIND")
        .await;
    assert_eq!(sent[0].status, "dropped");
    app.click("qa-open").await;
    // (The status shows in capitals.)
    app.wait_text("qa-message-status", "the dropped message", |t| {
        t.eq_ignore_ascii_case("dropped")
    })
    .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_that_arrives_late() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("lia@example.com", 44).await;
    cloud
        .qa()
        .scenario("code-arrives-late", Some("lia@example.com"))
        .await;
    let install = Install::new();
    let app = App::launch("scenario-late", &cloud, &install).await;
    log_in_through_ui(&app, "lia@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    app.wait_text("verify-code-sent", "the code sent", |t| {
        t.starts_with("We sent")
    })
    .await;
    assert_eq!(
        cloud
            .qa()
            .outbox_for("lia@example.com", "TERMINAL_BIND")
            .await[0]
            .status,
        "delayed"
    );
    cloud.qa().advance_clock(301).await;
    cloud.qa().wait_status("lia@example.com", "delivered").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_code() {
    let cloud = Cloud::start().await;
    let (mut app, _install) =
        at_verify_with_a_code("scenario-expired", &cloud, "exa@example.com").await;
    cloud
        .qa()
        .scenario("code-expired", Some("exa@example.com"))
        .await;
    app.wait_text("verify-expiry", "the expired code", |t| {
        t.starts_with("The code has expired.")
    })
    .await;
    app.shot("expired").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_with_one_try_left() {
    let cloud = Cloud::start().await;
    let (mut app, _install) =
        at_verify_with_a_code("scenario-one-try", &cloud, "ona@example.com").await;
    cloud
        .qa()
        .scenario("one-try-left", Some("ona@example.com"))
        .await;
    let code = cloud
        .qa()
        .latest_code("ona@example.com", "TERMINAL_BIND")
        .await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    app.fill("verify-code", wrong).await;
    app.click("verify-submit").await;
    app.wait_text("verify-expiry", "the dead code", |t| {
        t.starts_with("Too many wrong entries")
    })
    .await;
    app.shot("dead").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_captcha_required() {
    let cloud = Cloud::start().await;
    let set_up = cloud.qa().scenario("captcha-required", None).await;
    let install = Install::new();
    let mut app = App::launch("scenario-captcha", &cloud, &install).await;
    log_in_with(&app, &set_up.account, set_up.password.as_deref().unwrap()).await;
    app.wait_visible("login-captcha-box", true).await;
    app.shot("captcha").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_account() {
    let cloud = Cloud::start().await;
    let set_up = cloud.qa().scenario("account-locked", None).await;
    let install = Install::new();
    let mut app = App::launch("scenario-locked", &cloud, &install).await;
    log_in_with(&app, &set_up.account, set_up.password.as_deref().unwrap()).await;
    app.wait_visible("login-lock", true).await;
    app.wait_text("login-lock-countdown", "the lock's countdown", |t| {
        t.starts_with("19:") || t == "20:00"
    })
    .await;
    app.shot("locked").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_ten_terminals_taken() {
    let cloud = Cloud::start().await;
    let set_up = cloud.qa().scenario("terminals-full", None).await;
    let install = Install::new();
    let mut app = App::launch("scenario-full", &cloud, &install).await;
    log_in_with(&app, &set_up.account, set_up.password.as_deref().unwrap()).await;
    app.wait_screen("terminals").await;
    assert_eq!(app.texts("terminal-row").await.len(), 10);
    app.shot("full").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_in_the_other_region() {
    let cloud = Cloud::start().await;
    let set_up = cloud.qa().scenario("other-region", None).await;
    let install = Install::new();
    let app = App::launch("scenario-region", &cloud, &install).await;
    log_in_with(&app, &set_up.account, set_up.password.as_deref().unwrap()).await;
    // 1100 is followed without a word: the new terminal's code comes next,
    // from the other region, and home is there.
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code(&set_up.account, "TERMINAL_BIND")
        .await;
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    assert_eq!(app.text("cloud-url").await, cloud.second_region_url());
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cloud_timing_out() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("tia@example.com", 44).await;
    cloud
        .qa()
        .scenario("cloud-times-out", Some("tia@example.com"))
        .await;
    let install = Install::new();
    let mut app = App::launch("scenario-timeout", &cloud, &install).await;
    log_in_through_ui(&app, "tia@example.com").await;
    app.wait_text("login-submit", "the slow label", |t| t.contains("slow"))
        .await;
    app.wait_text("error-message", "the gateway timeout", |t| {
        t.contains("could not answer")
    })
    .await;
    assert!(app.text("cloud-banner").await.contains("504"));
    app.shot("timeout").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_that_has_just_expired() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("scenario-session", &cloud, &install).await;
    sign_up_through_ui(&mut app, &cloud, "sia@example.com").await;
    cloud
        .qa()
        .scenario("session-expired", Some("sia@example.com"))
        .await;
    app.click("devices-refresh").await;
    app.wait_screen("login").await;
    app.wait_text("login-notice", "why", |t| t.contains("session has ended"))
        .await;
    app.shot("session-ended").await;
    app.quit().await;
}
