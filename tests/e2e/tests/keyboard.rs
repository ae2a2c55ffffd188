//! Every flow with the keyboard alone, in the real window: Tab to a control
//! (each control passed must show its focus ring), Enter or Space to use it,
//! typing into whatever has the focus. Each new screen puts the focus on its
//! first field or its heading; the QA drawer keeps the focus while open.
//! The cloud's QA surface only reads codes and moves the clock, as a person
//! would read their inbox and wait.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fantoccini::key::Key;
use hik_e2e::{App, Cloud, Install, PASSWORD};

const NEW_PASSWORD: &str = "Keys-Only-Pass-9";

/// Type `text` where the focus is, then press `key`.
async fn type_then(app: &App, text: &str, key: Key) {
    app.type_keys(&format!("{text}{}", char::from(key))).await;
}

/// Log in from the login form's first field: account, Tab, password, Enter.
async fn log_in_by_keys(app: &App, account: &str, password: &str) {
    app.wait_screen("login").await;
    // An account typed before is kept, and the focus waits for its password.
    if app.prop("login-account", "value").await.is_empty() {
        app.wait_focus("login-account").await;
    } else {
        app.wait_focus("login-password").await;
        app.press_back().await;
        app.wait_focus("login-account").await;
    }
    app.execute("document.activeElement.select()").await;
    type_then(app, account, Key::Tab).await;
    app.wait_focus("login-password").await;
    type_then(app, password, Key::Enter).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_up_then_a_new_computer_with_a_wrong_code_and_a_resend() {
    let cloud = Cloud::start().await;
    let email = "keys@example.com";
    let app = App::launch("keys-signup", &cloud, &Install::new()).await;
    app.wait_screen("login").await;
    app.wait_focus("login-account").await;
    app.activate("nav-signup").await;
    app.wait_screen("signup").await;
    app.wait_focus("signup-email").await;
    type_then(&app, email, Key::Enter).await;
    // The code went out: the focus waits in the code field.
    app.wait_focus("signup-code").await;
    let code = cloud.qa().latest_code(email, "USER_REGISTRATION").await;
    app.type_keys(&code).await;
    app.tab_to("signup-password").await;
    type_then(&app, PASSWORD, Key::Enter).await;
    app.wait_screen("home").await;
    let heading = app.wait_focus_heading().await;
    assert!(
        heading.contains("Hik-Connect") || !heading.is_empty(),
        "{heading}"
    );
    app.quit().await;

    let app = App::launch("keys-verify", &cloud, &Install::new()).await;
    log_in_by_keys(&app, email, PASSWORD).await;
    app.wait_screen("verify").await;
    app.wait_focus("verify-send").await;
    app.press(Key::Enter).await;
    app.wait_focus("verify-code").await;
    let right = cloud.qa().latest_code(email, "TERMINAL_BIND").await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    type_then(&app, wrong, Key::Enter).await;
    app.wait_text("error-message", "the wrong code refused", |t| {
        t.contains("incorrect")
    })
    .await;
    assert_eq!(
        app.focus().await.testid,
        "verify-code",
        "the focus stays in the field to try again"
    );
    // A minute later the resend is ready; Shift+Tab goes back to it.
    cloud.qa().advance_clock(61).await;
    app.wait_enabled("verify-resend", true, std::time::Duration::from_secs(10))
        .await;
    for _ in 0..5 {
        if app.focus().await.testid == "verify-resend" {
            break;
        }
        app.press_back().await;
    }
    assert_eq!(app.focus().await.testid, "verify-resend");
    app.press(Key::Enter).await;
    app.wait_focus("verify-code").await;
    let fresh = cloud.qa().nth_code(email, "TERMINAL_BIND", 2).await;
    type_then(&app, &fresh, Key::Enter).await;
    app.wait_screen("home").await;
    app.wait_focus_heading().await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_captcha_by_email_a_full_account_and_a_forgotten_password() {
    let cloud = Cloud::start().await;
    let captcha = cloud.qa().scenario("captcha-required", None).await;
    let full = cloud.qa().scenario("terminals-full", None).await;
    let app = App::launch("keys-captcha", &cloud, &Install::new()).await;

    // The captcha, without the picture: its characters by email.
    log_in_by_keys(&app, &captcha.account, captcha.password.as_deref().unwrap()).await;
    app.wait_visible("login-captcha-box", true).await;
    app.wait_focus("login-captcha").await;
    app.activate("login-captcha-send").await;
    app.wait_focus("login-captcha").await;
    let sent = app.text("login-captcha-sent").await;
    assert!(sent.contains("@example.com"), "{sent}");
    assert!(
        !app.is_visible("login-captcha-image").await,
        "the picture no longer applies"
    );
    let characters = cloud
        .qa()
        .latest_code(&captcha.account, "LOGIN_CAPTCHA")
        .await;
    type_then(&app, &characters, Key::Enter).await;
    app.wait_screen("verify").await;
    app.activate("verify-cancel").await;

    // A full account: tick a terminal with Space, a code, and on.
    log_in_by_keys(&app, &full.account, full.password.as_deref().unwrap()).await;
    app.wait_screen("terminals").await;
    app.wait_focus("terminal-check").await;
    app.press(Key::Space).await;
    app.activate("remove-send").await;
    app.wait_focus("remove-code").await;
    let code = cloud
        .qa()
        .latest_code(&full.account, "TERMINAL_DELETE")
        .await;
    type_then(&app, &code, Key::Enter).await;
    app.wait_screen("verify").await;
    app.wait_focus("verify-send").await;
    app.activate("verify-cancel").await;

    // A forgotten password, reset with a code.
    app.wait_screen("login").await;
    app.activate("nav-forgot").await;
    app.wait_screen("forgot").await;
    app.wait_focus("forgot-account").await;
    app.execute("document.activeElement.select()").await;
    type_then(&app, &full.account, Key::Enter).await;
    app.wait_focus("forgot-code").await;
    let code = cloud
        .qa()
        .latest_code(&full.account, "RETRIEVE_PASSWORD")
        .await;
    app.type_keys(&code).await;
    app.tab_to("forgot-password").await;
    type_then(&app, NEW_PASSWORD, Key::Enter).await;
    app.wait_screen("login").await;
    assert!(app.text("login-notice").await.contains("password"));
    app.wait_focus("login-password").await;
    type_then(&app, NEW_PASSWORD, Key::Enter).await;
    app.wait_screen("verify").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn devices_account_security_and_the_qa_drawer() {
    let cloud = Cloud::start().await;
    let email = "kai@example.com";
    cloud.account(email).await;
    let app = App::launch("keys-security", &cloud, &Install::new()).await;
    log_in_by_keys(&app, email, PASSWORD).await;
    app.wait_focus("verify-send").await;
    app.press(Key::Enter).await;
    app.wait_focus("verify-code").await;
    let code = cloud.qa().latest_code(email, "TERMINAL_BIND").await;
    type_then(&app, &code, Key::Enter).await;
    app.wait_screen("home").await;
    app.wait_focus_heading().await;

    // A device's cameras.
    app.wait_visible("device-open", true).await;
    app.activate("device-open").await;
    app.wait_visible("device-cameras", true).await;
    assert_eq!(app.prop("device-open", "ariaExpanded").await, "true");

    app.activate("nav-settings").await;
    app.wait_screen("settings").await;
    app.wait_focus_heading().await;
    app.wait_visible("two-step-toggle", true).await;

    // Two-step verification off, with a code if the cloud asks for one.
    app.activate("two-step-toggle").await;
    let asked = wait_either(&app, "twostep-send", "settings-notice").await;
    if asked == "twostep-send" {
        app.wait_focus("twostep-send").await;
        app.press(Key::Enter).await;
        app.wait_focus("twostep-code").await;
        let code = cloud.qa().nth_code(email, "TERMINAL_BIND", 2).await;
        type_then(&app, &code, Key::Enter).await;
    }
    app.wait_text("settings-notice", "two-step off", |t| t.contains("off"))
        .await;
    // The redraw kept the keyboard's place in its section.
    let at = app.focus().await;
    assert!(
        at.testid == "two-step-toggle" || at.tag == "h2",
        "the focus was lost after the change: {}",
        at.where_
    );

    // The password.
    app.tab_to("password-old").await;
    type_then(&app, PASSWORD, Key::Tab).await;
    app.wait_focus("password-new").await;
    type_then(&app, NEW_PASSWORD, Key::Enter).await;
    app.wait_text("settings-notice", "password changed", |t| {
        t.contains("assword")
    })
    .await;

    // An email change begun and cancelled: the panel closes, the keyboard
    // lands on the section's heading.
    app.activate("email-change").await;
    app.wait_focus("email-new").await;
    app.activate("email-old-cancel").await;
    app.wait_visible("email-new", false).await;
    assert_eq!(app.focus().await.tag, "h2", "the focus after Cancel");

    // The email: a code to the old address, then one to the new.
    let new_email = "kai.new@example.com";
    app.activate("email-change").await;
    app.wait_focus("email-new").await;
    app.type_keys(new_email).await;
    app.activate("email-old-send").await;
    app.wait_focus("email-old-code").await;
    let old = cloud
        .qa()
        .latest_code(email, "UPDATE_EMAIL_VALIDATE_OLD_EMAIL")
        .await;
    type_then(&app, &old, Key::Enter).await;
    app.wait_focus("email-new-send").await;
    app.press(Key::Enter).await;
    app.wait_focus("email-new-code").await;
    let new = cloud
        .qa()
        .latest_code(new_email, "UPDATE_EMAIL_VALIDATE_NEW_EMAIL")
        .await;
    type_then(&app, &new, Key::Enter).await;
    app.wait_text("settings-notice", "email changed", |t| {
        t.contains(new_email)
    })
    .await;

    // The QA drawer: the focus goes in, goes round inside, and comes back.
    app.toggle_qa_drawer_by_keys().await;
    app.wait_visible("qa-drawer", true).await;
    app.wait_focus("qa-close").await;
    app.press_back().await;
    let last = app.focus().await;
    assert!(
        app.execute("return document.getElementById('qa-drawer').contains(document.activeElement)")
            .await
            .as_bool()
            .unwrap(),
        "Shift+Tab from the first control left the drawer for {}",
        last.where_
    );
    assert!(last.ring, "{} shows no focus ring", last.where_);
    app.press(Key::Tab).await;
    assert_eq!(
        app.focus().await.testid,
        "qa-close",
        "Tab from the last goes round"
    );
    app.press(Key::Escape).await;
    app.wait_visible("qa-drawer", false).await;
    app.wait_focus("qa-open").await;
    app.quit().await;
}

/// Wait until `a` or `b` is visible; which one.
async fn wait_either(app: &App, a: &str, b: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        for t in [a, b] {
            if app.is_visible(t).await {
                return t.to_owned();
            }
        }
        assert!(std::time::Instant::now() < deadline, "neither {a} nor {b}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
