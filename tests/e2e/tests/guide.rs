//! The verification-code guide's codes with letters: a cloud set to make them
//! sends codes of digits and Crockford's letters, the code field offers a
//! keyboard for letters once a code is sent, and a code typed in small
//! letters, with a space and an o for a 0, logs in. Before any code exists,
//! the field and *Verify* rest, and *Send code* is the one thing to do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{log_in_through_ui, App, Cloud, Install};

#[tokio::test(flavor = "multi_thread")]
async fn a_code_with_letters_is_typed_forgivingly_on_a_keyboard_for_letters() {
    let cloud = Cloud::builder()
        .rules(|r| r.code_alphabet = hik_proto::CodeAlphabet::Letters)
        .start()
        .await;
    cloud.account("kim@example.com").await;
    let install = Install::new();
    let mut app = App::launch("guide-letters", &cloud, &install).await;
    log_in_through_ui(&app, "kim@example.com").await;
    app.wait_screen("verify").await;
    // Nothing to type yet.
    assert!(!app.is_enabled("verify-code").await);
    assert!(!app.is_enabled("verify-submit").await);
    assert!(app.is_visible("verify-have-code").await);
    app.shot("before-a-code").await;

    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("kim@example.com", "TERMINAL_BIND")
        .await;
    app.wait_enabled("verify-code", true, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(app.prop("verify-code", "inputMode").await, "text");
    assert!(!app.is_visible("verify-have-code").await);
    let typed: String = code
        .chars()
        .map(|c| {
            if c == '0' {
                'o'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    app.fill("verify-code", &format!("{} {}", &typed[..3], &typed[3..]))
        .await;
    app.shot("letters-typed").await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_already_at_hand_can_be_typed_without_sending_another() {
    let cloud = Cloud::start().await;
    cloud.account("lee@example.com").await;
    // A code sent before this screen (from the app's last run, say).
    cloud.send_code("lee@example.com", "TERMINAL_BIND").await;
    let code = cloud
        .qa()
        .latest_code("lee@example.com", "TERMINAL_BIND")
        .await;
    let install = Install::new();
    let app = App::launch("guide-have-code", &cloud, &install).await;
    log_in_through_ui(&app, "lee@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-have-code").await;
    assert!(app.is_enabled("verify-code").await);
    assert_eq!(app.prop("verify-code", "inputMode").await, "numeric");
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}
