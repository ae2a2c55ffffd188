//! The cloud misbehaving on purpose (QA endpoint faults): a gateway timeout on
//! the device list, and a login that takes its time. The window says what
//! happened, keeps what it had, and repeats nothing it should not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{log_in_through_ui, App, Cloud, Install};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn the_device_list_under_a_gateway_timeout_shows_the_saved_list() {
    let cloud = Cloud::start().await;
    cloud.account("gw@example.com").await;
    let install = Install::new();
    let mut app = App::launch("faults-504", &cloud, &install).await;
    log_in_through_ui(&app, "gw@example.com").await;
    // A new terminal: verify it first.
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("gw@example.com", "TERMINAL_BIND")
        .await;
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.wait_text("devices-updated", "the list", |t| {
        t.starts_with("Updated just now")
    })
    .await;
    let names = app.texts("device-name").await;
    assert_eq!(names.len(), 4, "{names:?}");

    // Every device request now meets a 504 from the "gateway".
    let faults = cloud
        .qa()
        .set_endpoint_fault("/v3/userdevices", Some(504), 0)
        .await;
    assert_eq!(faults.endpoints[0].status, Some(504), "{faults:?}");
    app.click("devices-refresh").await;
    app.wait_visible("devices-saved", true).await;
    let saved = app.text("devices-saved").await;
    assert!(saved.starts_with("Saved list from"), "{saved}");
    assert_eq!(
        app.texts("device-name").await,
        names,
        "the saved list is kept"
    );
    app.shot("devices-504").await;

    // The fault is gone: the next refresh brings a fresh list.
    cloud.qa().clear_faults().await;
    app.click("devices-refresh").await;
    app.wait_visible("devices-saved", false).await;
    assert_eq!(app.texts("device-name").await, names);
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_login_says_so_then_lands_on_home() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("slow@example.com", 44).await;
    cloud
        .qa()
        .set_endpoint_fault("/v3/users/login", None, 6000)
        .await;
    let install = Install::new();
    let mut app = App::launch("faults-latency", &cloud, &install).await;
    let began = Instant::now();
    log_in_through_ui(&app, "slow@example.com").await;
    app.wait_text("login-submit", "the slow label", |t| {
        t.contains("slow to answer")
    })
    .await;
    app.shot("login-slow").await;
    assert!(
        !app.is_enabled("login-submit").await,
        "pressed once, not twice"
    );
    app.wait_screen("verify").await;
    assert!(
        began.elapsed() >= Duration::from_secs(6),
        "{:?}",
        began.elapsed()
    );
    // One login went to the cloud: a held request is not sent again.
    let signed_in = cloud
        .qa()
        .account("slow@example.com")
        .await
        .recent_activity
        .iter()
        .filter(|e| e.event == "sign_in")
        .count();
    assert_eq!(signed_in, 1);
    app.quit().await;
}
