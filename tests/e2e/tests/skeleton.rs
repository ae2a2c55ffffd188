//! The walking skeleton end to end: the built app in a real window, the real
//! keyring, a cloud per test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{app_data, log_in_through_ui, sign_up_through_ui, App, Cloud, Install};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_up_by_email_lands_on_home() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("a-signup", &cloud, &install).await;
    assert_eq!(app.screen().await, "login");
    // The start screen, then the login form: nothing else came first.
    assert_eq!(app_data(&app.client, "history").await, "starting login");
    assert_eq!(app.text("sim-badge").await.to_lowercase(), "simulator");
    assert!(app.text("qa-inbox-url").await.ends_with("/qa/inbox"));
    app.shot("login").await;

    sign_up_through_ui(&mut app, &cloud, "ana@example.com").await;
    assert_eq!(app.text("home-user").await, "ana@example.com");
    app.shot("home").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn b_after_a_restart_the_terminal_is_trusted_and_keeps_its_fingerprint() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("b-restart", &cloud, &install).await;
    sign_up_through_ui(&mut app, &cloud, "bo@example.com").await;
    let feature = install
        .keyring_secret("featureCode")
        .expect("featureCode in the OS keyring");
    assert_eq!(feature.len(), 32);
    assert!(feature.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(
        install.keyring_secret("refreshToken").is_some(),
        "refresh token in the keyring"
    );

    app.click("nav-logout").await;
    app.wait_screen("login").await;
    assert!(
        install.keyring_secret("refreshToken").is_none(),
        "logout forgets the refresh token"
    );
    app.quit().await;

    let mut app = App::launch("b-restart-2", &cloud, &install).await;
    // The last account is remembered (local SQLite); no code is asked.
    assert_eq!(
        app.find("login-account")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("bo@example.com")
    );
    log_in_through_ui(&app, "bo@example.com").await;
    app.wait_screen("home").await;
    app.shot("home-without-code").await;
    assert_eq!(app.text("home-user").await, "bo@example.com");
    assert_eq!(
        install.keyring_secret("featureCode"),
        Some(feature),
        "same fingerprint across restarts"
    );
    assert!(
        cloud
            .qa()
            .outbox_for("bo@example.com", "TERMINAL_BIND")
            .await
            .is_empty(),
        "no code was sent"
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn b_a_restart_without_logging_out_resumes_home_and_never_shows_the_login_form() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("b-resume", &cloud, &install).await;
    sign_up_through_ui(&mut app, &cloud, "bea@example.com").await;
    app.quit().await;

    let mut app = App::launch("b-resume-2", &cloud, &install).await;
    app.wait_screen("home").await;
    assert_eq!(app.text("home-user").await, "bea@example.com");
    // Every screen the window showed since it opened: the neutral start
    // screen, then home. A login form that flashed would be in between.
    assert_eq!(app_data(&app.client, "history").await, "starting home");
    app.shot("resumed").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn c_a_second_install_enters_the_code_and_is_trusted_from_then_on() {
    let cloud = Cloud::start().await;
    cloud.account("cy@example.com").await;
    let install = Install::new();
    let mut app = App::launch("c-second-install", &cloud, &install).await;
    log_in_through_ui(&app, "cy@example.com").await;
    app.wait_screen("verify").await;
    assert_eq!(app.text("verify-contact").await, "c***@example.com");
    app.shot("verify").await;

    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("cy@example.com", "TERMINAL_BIND")
        .await;
    // Typed the way people do: with a space in the middle.
    app.fill("verify-code", &format!("{} {}", &code[..3], &code[3..]))
        .await;
    app.shot("verify-code-typed").await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    assert_eq!(app.text("home-user").await, "cy@example.com");
    app.click("nav-logout").await;
    app.wait_screen("login").await;
    app.quit().await;

    let app = App::launch("c-second-install-2", &cloud, &install).await;
    log_in_through_ui(&app, "cy@example.com").await;
    app.wait_screen("home").await;
    assert_eq!(
        cloud
            .qa()
            .outbox_for("cy@example.com", "TERMINAL_BIND")
            .await
            .len(),
        1,
        "no second code"
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn d_resend_waits_for_the_cooldown_and_follows_the_qa_clock() {
    let cloud = Cloud::start().await;
    cloud.account("di@example.com").await;
    let install = Install::new();
    let mut app = App::launch("d-resend", &cloud, &install).await;
    log_in_through_ui(&app, "di@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let first = cloud
        .qa()
        .latest_code("di@example.com", "TERMINAL_BIND")
        .await;

    // The countdown runs: it leaves 1:00 within a few seconds.
    app.wait_text("verify-resend", "a running countdown", |t| {
        t.contains("(0:5")
    })
    .await;
    assert!(
        !app.is_enabled("verify-resend").await,
        "resend is disabled during the cooldown"
    );
    let expiry = app.text("verify-expiry").await;
    assert!(
        expiry.contains("valid for 9:5") || expiry.contains("valid for 10:00"),
        "{expiry}"
    );
    app.shot("resend-countdown").await;

    cloud.qa().advance_clock(61).await;
    app.wait_enabled("verify-resend", true, Duration::from_secs(10))
        .await;
    assert_eq!(app.text("verify-resend").await, "Resend code");
    app.click("verify-resend").await;
    app.wait_enabled("verify-resend", false, Duration::from_secs(10))
        .await;
    assert_eq!(
        cloud
            .qa()
            .outbox_for("di@example.com", "TERMINAL_BIND")
            .await
            .len(),
        2
    );
    let second = cloud
        .qa()
        .nth_code("di@example.com", "TERMINAL_BIND", 2)
        .await;

    if first != second {
        app.fill("verify-code", &first).await;
        app.click("verify-submit").await;
        app.wait_text("error-message", "that the old code is dead", |t| {
            t.contains("newer")
        })
        .await;
    }
    app.fill("verify-code", &second).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn e_wrong_codes_show_tries_left_and_a_dead_code_offers_a_new_one() {
    let cloud = Cloud::start().await;
    cloud.account("ed@example.com").await;
    let install = Install::new();
    let mut app = App::launch("e-wrong-code", &cloud, &install).await;
    log_in_through_ui(&app, "ed@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let right = cloud
        .qa()
        .latest_code("ed@example.com", "TERMINAL_BIND")
        .await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };

    for expect in ["4 tries left", "3 tries left", "2 tries left", "Last try"] {
        app.fill("verify-code", wrong).await;
        app.click("verify-submit").await;
        app.wait_text("error-message", expect, |t| t.contains(expect))
            .await;
    }
    app.shot("last-try").await;
    app.fill("verify-code", wrong).await;
    app.click("verify-submit").await;
    // One line says it, and when a new code can be had; *Verify* rests
    // until another code is typed.
    app.wait_text("verify-expiry", "when a new code can be had", |t| {
        t.contains("You can request a new code in 0:")
    })
    .await;
    assert!(!app.is_visible("error-message").await, "no second red line");
    assert!(!app.is_enabled("verify-submit").await);
    app.shot("code-dead").await;

    cloud.qa().advance_clock(60).await;
    app.wait_enabled("verify-resend", true, Duration::from_secs(10))
        .await;
    app.wait_text("verify-expiry", "a new code now", |t| {
        t.ends_with("Request a new code.")
    })
    .await;
    app.click("verify-resend").await;
    let fresh = cloud
        .qa()
        .nth_code("ed@example.com", "TERMINAL_BIND", 2)
        .await;
    app.fill("verify-code", &fresh).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}

/// The window comes before start-up; when start-up fails (here the data
/// folder is a file), the window stays and says why, and a login says it too.
#[tokio::test(flavor = "multi_thread")]
async fn f_a_start_up_that_fails_is_shown_in_the_window() {
    let cloud = Cloud::start().await;
    let (mut app, not_a_folder, _dir) =
        App::launch_start_failing("f-start-fails", &cloud, &[]).await;
    assert_eq!(app.started().await, "failed");
    let why = app.text("start-error").await;
    assert!(
        why.starts_with("The app could not start: it cannot create or use its data folder")
            && why.contains(&not_a_folder.display().to_string()),
        "{why}"
    );
    app.shot("start-error").await;
    log_in_through_ui(&app, "fe@example.com").await;
    app.wait_text("error-message", "the start-up failure", |t| {
        t.starts_with("The app could not start")
    })
    .await;
    app.quit().await;
}
