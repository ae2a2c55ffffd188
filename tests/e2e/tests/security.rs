//! Security notices and recent security activity in the real window: a new
//! computer trusted with its code is told at the account's address (the QA
//! drawer shows the notice), and account security lists the latest events,
//! this computer's marked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{log_in_through_ui, terminal, App, Cloud, Install};

#[tokio::test(flavor = "multi_thread")]
async fn a_new_computer_is_told_by_a_notice_and_listed_in_recent_activity() {
    let cloud = Cloud::start().await;
    // Signed up elsewhere (the kit's terminal 1, "Test PC"), then a wrong
    // password from there.
    cloud.account("zed@example.com").await;
    cloud
        .login("zed@example.com", "Wrong-Horse-1", &terminal(1), None)
        .await;
    let install = Install::new();
    let mut app = App::launch("security-activity", &cloud, &install).await;
    log_in_through_ui(&app, "zed@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("zed@example.com", "TERMINAL_BIND")
        .await;
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;

    // The notice, as the owner's inbox (the QA drawer) shows it.
    let notices = cloud
        .qa()
        .outbox_for("zed@example.com", "SECURITY_NOTICE")
        .await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    app.click("qa-open").await;
    app.wait_visible("qa-drawer", true).await;
    app.wait_text("qa-message-notice", "the notice in the drawer", |t| {
        // The cloud's own subject, as sent (the drawer shows the cloud's words).
        t == "Hik-Connect security notice: a new terminal can use your account"
    })
    .await;
    let text = app.text("qa-message-text").await;
    assert!(
        text.contains("was added to your Hik-Connect account's trusted terminals"),
        "{text}"
    );
    app.shot("notice-in-drawer").await;
    app.click("qa-close").await;
    app.wait_visible("qa-drawer", false).await;

    // Account security: the latest events, newest first.
    app.click("nav-settings").await;
    app.wait_screen("settings").await;
    app.wait_visible("activity-list", true).await;
    let events = app.texts("activity-event").await;
    assert_eq!(events[0], "Signed in", "{events:?}");
    assert!(
        events.contains(&"New terminal trusted".to_owned()),
        "{events:?}"
    );
    assert!(events.contains(&"Sign-in refused".to_owned()), "{events:?}");
    // (The badge shows in capitals.)
    let rows: Vec<String> = app
        .texts("activity-row")
        .await
        .iter()
        .map(|r| r.to_lowercase())
        .collect();
    assert!(
        rows[0].contains("this computer"),
        "the newest is this computer's: {rows:?}"
    );
    assert!(rows[0].contains("just now"), "{rows:?}");
    let refused = rows
        .iter()
        .find(|r| r.starts_with("sign-in refused"))
        .unwrap();
    assert!(
        !refused.contains("this computer"),
        "it came from Test PC: {refused}"
    );
    assert!(refused.contains("test pc · 127.0.0.1"), "{refused}");
    app.scroll_to("settings-activity").await;
    app.shot("recent-activity").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_code_goes_by_the_way_chosen_and_that_choice_is_the_default_next_time() {
    let cloud = Cloud::start().await;
    cloud
        .qa()
        .create(hik_proto::request::QaAccount {
            account: hik_proto::Account::parse("yan@example.com").unwrap(),
            password: hik_proto::request::Text::new(hik_e2e::PASSWORD),
            area_id: None,
            two_step: None,
            devices: None,
            email: None,
            phone: Some(hik_proto::Phone::parse("7700900321").unwrap()),
        })
        .await;
    let install = Install::new();
    let mut app = App::launch("security-channel", &cloud, &install).await;
    log_in_through_ui(&app, "yan@example.com").await;
    app.wait_screen("verify").await;
    // Both ways, masked; email first.
    assert_eq!(app.prop("verify-channel-email", "checked").await, "true");
    assert_eq!(app.text("verify-contact").await, "ya***@example.com");
    app.click("verify-channel-phone").await;
    assert_eq!(app.text("verify-contact").await, "770***0321");
    assert!(app.text("verify-code-sent").await.ends_with("by SMS."));
    app.shot("channel-chosen").await;
    app.click("verify-send").await;
    cloud.qa().latest_code("7700900321", "TERMINAL_BIND").await;
    assert!(cloud
        .qa()
        .outbox_for("yan@example.com", "TERMINAL_BIND")
        .await
        .is_empty());

    // Back, and in again: SMS is the default now.
    app.click("verify-cancel").await;
    log_in_through_ui(&app, "yan@example.com").await;
    app.wait_screen("verify").await;
    assert_eq!(app.prop("verify-channel-phone", "checked").await, "true");
    assert_eq!(app.text("verify-contact").await, "770***0321");
    cloud.qa().advance_clock(61).await;
    app.click("verify-send").await;
    let code = cloud.qa().nth_code("7700900321", "TERMINAL_BIND", 2).await;
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}

/// The window's own cloud (no `--cloud-url`): its QA surface answers the
/// app, and the inbox address the app shows, but not someone else on the
/// machine who only knows its loopback port.
#[tokio::test(flavor = "multi_thread")]
async fn the_embedded_clouds_qa_surface_answers_only_with_the_apps_token() {
    let install = Install::new();
    let mut app = App::launch_embedded("embedded-qa", &hik_e2e::app_binary(), &install).await;
    // The drawer works: the app reaches its cloud's QA surface.
    app.click("qa-open").await;
    app.wait_visible("qa-drawer", true).await;
    app.wait_text("qa-clock-now", "the cloud's clock", |t| !t.is_empty())
        .await;
    app.shot("embedded-drawer").await;

    let inbox = app.text("qa-inbox-url").await;
    let (base, token) = app.embedded_qa().await;
    assert_eq!(token.len(), 32, "{token}");
    let http = reqwest::Client::new();
    let status = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    // Without the token: refused, for the page and for the data alike.
    assert_eq!(status(format!("{base}/qa/inbox")).await, 401);
    assert_eq!(status(format!("{base}/qa/outbox")).await, 401);
    assert_eq!(status(format!("{base}/qa/outbox?qaToken=0123")).await, 401);
    // With it, as the address the app shows: the page and what it reads.
    assert_eq!(status(inbox.clone()).await, 200);
    assert_eq!(
        status(format!("{base}/qa/outbox?qaToken={token}")).await,
        200
    );
    // The protocol itself is not the QA surface: it needs no token.
    assert_eq!(status(format!("{base}/v3/users/area/list")).await, 200);
    app.quit().await;
}
