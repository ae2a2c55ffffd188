//! Every way into an account, end to end in the real window: sign-up by phone,
//! codes that expire or are pasted oddly, captcha and lock after wrong
//! passwords, a forgotten password, another region, a full account, a cloud
//! that goes away, and a computer with no keyring.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{log_in_through_ui, log_in_with, App, Cloud, Install, PASSWORD};
use std::time::Duration;

const WRONG: &str = "Wrong-Horse-1";

#[tokio::test(flavor = "multi_thread")]
async fn f_sign_up_by_phone_with_the_regions_dialling_code() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("f-phone", &cloud, &install).await;
    app.click("nav-signup").await;
    app.wait_screen("signup").await;
    assert!(app
        .text("signup-region-warning")
        .await
        .contains("cannot be changed"));
    app.select("signup-region", "49").await;
    app.click("signup-method-phone").await;
    app.wait_text("signup-dial-code", "Germany's dialling code", |t| {
        t == "+49"
    })
    .await;
    assert!(!app.is_visible("signup-email").await);
    app.fill("signup-phone", "0151 2345-678").await;
    app.shot("phone-details").await;
    app.click("signup-send-code").await;
    // The number just typed, in full: a typo would show.
    let sent = app
        .wait_text("signup-code-sent", "the phone as typed", |t| {
            t.contains("+49 0151 2345-678")
        })
        .await;
    assert!(sent.contains("by SMS"), "{sent}");
    let messages = cloud
        .qa()
        .outbox_for("01512345678", "USER_REGISTRATION")
        .await;
    assert_eq!(messages[0].channel, "sms");

    // The rules tick as the password is typed.
    app.fill("signup-password", "horse").await;
    app.wait_attr("signup-password-rules-length", "data-ok", "false")
        .await;
    app.wait_attr("signup-password-rules", "data-ok", "false")
        .await;
    app.fill("signup-password", PASSWORD).await;
    app.wait_attr("signup-password-rules-length", "data-ok", "true")
        .await;
    app.wait_attr("signup-password-rules-classes", "data-ok", "true")
        .await;
    app.wait_attr("signup-password-rules", "data-ok", "true")
        .await;
    let code = cloud
        .qa()
        .latest_code("01512345678", "USER_REGISTRATION")
        .await;
    app.fill("signup-code", &code).await;
    app.shot("phone-code-and-password").await;
    app.click("signup-submit").await;
    app.wait_screen("home").await;
    assert_eq!(app.text("home-user").await, "01512345678");
    let account = cloud.qa().account("01512345678").await;
    assert_eq!(
        (account.area_id, account.phone_code.as_deref()),
        (49, Some("49"))
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn g_a_code_expires_on_the_qa_clock_and_a_new_one_is_requested() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("gi@example.com", 44).await;
    let install = Install::new();
    let mut app = App::launch("g-expiry", &cloud, &install).await;
    log_in_through_ui(&app, "gi@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let old = cloud
        .qa()
        .latest_code("gi@example.com", "TERMINAL_BIND")
        .await;
    app.wait_text("verify-expiry", "the validity countdown", |t| {
        t.contains("valid for 9:") || t.contains("valid for 10:00")
    })
    .await;

    cloud.qa().advance_clock(601).await;
    app.wait_text("verify-expiry", "that the code expired", |t| {
        t == "The code has expired. Request a new code."
    })
    .await;
    app.wait_text("verify-resend", "the request button", |t| {
        t == "Request a new code"
    })
    .await;
    // Screen readers hear it once, not every second.
    app.wait_announced("The code has expired").await;
    assert!(app.is_enabled("verify-resend").await);
    // The guide's advice is one click away.
    app.click("verify-help").await;
    app.wait_text("verify-help", "the advice", |t| t.contains("spam"))
        .await;
    app.shot("expired").await;
    // An expired code is not even offered to the cloud.
    app.fill("verify-code", &old).await;
    assert!(!app.is_enabled("verify-submit").await);

    app.click("verify-resend").await;
    let fresh = cloud
        .qa()
        .nth_code("gi@example.com", "TERMINAL_BIND", 2)
        .await;
    app.wait_text("verify-expiry", "a fresh countdown", |t| {
        t.contains("valid for")
    })
    .await;
    app.fill("verify-code", &fresh).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn h_a_pasted_code_with_spaces_and_the_letter_o_is_accepted() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("h-paste", &cloud, &install).await;
    app.click("nav-signup").await;
    app.wait_screen("signup").await;
    app.select("signup-region", "44").await;
    // Codes are random: sign up with addresses until one gets a code with a
    // zero in it, so that the letter O really stands in for a digit.
    let mut attempt = 0;
    let (email, code) = loop {
        attempt += 1;
        assert!(attempt <= 40, "forty codes without a zero");
        let email = format!("ha{attempt}@example.com");
        app.fill("signup-email", &email).await;
        app.click("signup-send-code").await;
        app.wait_text("signup-code-sent", "where the code went", |t| {
            t.contains("@example.com")
        })
        .await;
        let code = cloud.qa().latest_code(&email, "USER_REGISTRATION").await;
        if code.contains('0') {
            break (email, code);
        }
        app.click("signup-change").await;
    };
    // "012345" becomes "O12 345", as it might be copied from a message.
    let typed = code.replace('0', "O");
    let pasted = format!("{} {}", &typed[..3], &typed[3..]);
    app.paste("signup-code", &pasted).await;
    assert_eq!(app.prop("signup-code", "value").await, pasted);
    app.fill("signup-password", PASSWORD).await;
    app.shot("pasted").await;
    app.click("signup-submit").await;
    app.wait_screen("home").await;
    assert_eq!(app.text("home-user").await, email);
    app.quit().await;
}

/// The captcha picture once it is a PNG other than `previous`.
async fn new_picture(app: &App, previous: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let src = app.prop("login-captcha-image", "src").await;
        if src.starts_with("data:image/png;base64,") && src != previous {
            return src;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no new captcha picture"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Type a wrong password `n` times, answering the captcha once it is asked
/// for; returns how many of them asked for one.
async fn wrong_passwords(app: &App, cloud: &Cloud, account: &str, n: usize) -> usize {
    let mut captchas = 0;
    let mut last_picture = String::new();
    for i in 1..=n {
        if app.is_visible("login-captcha-box").await {
            captchas += 1;
            // Wait for the new picture: every attempt uses the last one up.
            last_picture = new_picture(app, &last_picture).await;
            let answer = cloud.qa().captcha_answer(account).await;
            app.fill("login-captcha", &answer).await;
        }
        app.fill("login-password", WRONG).await;
        app.click("login-submit").await;
        if i < 10 {
            app.wait_text("error-message", "the wrong password", |t| {
                t.starts_with("The password is incorrect")
            })
            .await;
            // Let the busy button settle before the next try.
            app.wait_enabled("login-submit", true, Duration::from_secs(10))
                .await;
        }
    }
    captchas
}

#[tokio::test(flavor = "multi_thread")]
async fn i_after_five_wrong_passwords_a_captcha_is_asked_and_passed() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("ivy@example.com", 44).await;
    let install = Install::new();
    let mut app = App::launch("i-captcha", &cloud, &install).await;
    app.wait_screen("login").await;
    app.fill("login-account", "ivy@example.com").await;
    assert_eq!(wrong_passwords(&app, &cloud, "ivy@example.com", 4).await, 0);
    assert!(!app.is_visible("login-captcha-box").await);
    wrong_passwords(&app, &cloud, "ivy@example.com", 1).await;
    app.wait_visible("login-captcha-box", true).await;
    assert!(app.text("error-message").await.contains("picture"));
    // How many wrong passwords are left before the lock, and for how long.
    assert_eq!(
        app.text("login-captcha-warning").await,
        "5 more wrong passwords will lock this account for 20 minutes."
    );
    app.wait_text("login-captcha-refresh", "the refresh button", |_| true)
        .await;
    let first = new_picture(&app, "").await;
    app.shot("captcha").await;
    app.click("login-captcha-refresh").await;
    let second = new_picture(&app, &first).await;

    // Without the characters, the right password is not even looked at.
    // (Shown while typed, then hidden again.)
    app.fill("login-password", PASSWORD).await;
    app.click("login-password-show").await;
    assert_eq!(app.prop("login-password", "type").await, "text");
    assert_eq!(app.text("login-password-show").await, "Hide");
    app.click("login-password-show").await;
    assert_eq!(app.prop("login-password", "type").await, "password");
    app.click("login-submit").await;
    app.wait_text("error-message", "the captcha request", |t| {
        t.contains("picture")
    })
    .await;
    assert_eq!(app.screen().await, "login");

    // That attempt used the picture up; a new one is shown.
    new_picture(&app, &second).await;
    let answer = cloud.qa().captcha_answer("ivy@example.com").await;
    app.fill("login-captcha", &answer.to_lowercase()).await;
    app.fill("login-password", PASSWORD).await;
    app.click("login-submit").await;
    app.wait_screen("verify").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn j_ten_wrong_passwords_lock_with_a_countdown_and_a_reset_unlocks() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("jay@example.com", 44).await;
    let install = Install::new();
    let mut app = App::launch("j-lock", &cloud, &install).await;
    app.wait_screen("login").await;
    app.fill("login-account", "jay@example.com").await;
    assert_eq!(
        wrong_passwords(&app, &cloud, "jay@example.com", 10).await,
        5
    );
    app.wait_visible("login-lock", true).await;
    let first = app
        .wait_text("login-lock-countdown", "the lock's countdown", |t| {
            t.starts_with("20:00") || t.starts_with("19:5")
        })
        .await;
    app.wait_text("login-lock-countdown", "the countdown moving", |t| {
        t != first
    })
    .await;
    assert!(
        !app.is_enabled("login-submit").await,
        "no login while locked"
    );
    assert!(!app.is_visible("login-captcha-box").await);
    app.shot("locked").await;

    // The way out: reset the password.
    app.click("login-lock-reset").await;
    app.wait_screen("forgot").await;
    assert_eq!(app.prop("forgot-account", "value").await, "jay@example.com");
    app.click("forgot-send-code").await;
    app.wait_text("forgot-code-sent", "where the code went", |t| {
        t.contains("ja***@example.com")
    })
    .await;
    let code = cloud
        .qa()
        .latest_code("jay@example.com", "RETRIEVE_PASSWORD")
        .await;
    app.fill("forgot-code", &code).await;
    app.fill("forgot-password", "New-Horse-42").await;
    app.wait_attr("forgot-password-rules", "data-ok", "true")
        .await;
    app.shot("new-password").await;
    app.click("forgot-submit").await;
    app.wait_screen("login").await;
    assert!(app.text("login-notice").await.contains("reset"));
    assert_eq!(
        cloud
            .qa()
            .account("jay@example.com")
            .await
            .locked_for_seconds,
        0
    );
    log_in_with(&app, "jay@example.com", "New-Horse-42").await;
    app.wait_screen("verify").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn k_a_forgotten_password_is_reset_with_a_code() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("kim@example.com", 44).await;
    let install = Install::new();
    let mut app = App::launch("k-forgot", &cloud, &install).await;
    app.wait_screen("login").await;
    app.fill("login-account", "kim@example.com").await;
    app.click("nav-forgot").await;
    app.wait_screen("forgot").await;
    assert_eq!(app.prop("forgot-account", "value").await, "kim@example.com");
    app.click("forgot-send-code").await;
    app.wait_text("forgot-code-sent", "where the code went", |t| {
        t.contains("ki***@example.com")
    })
    .await;
    let code = cloud
        .qa()
        .latest_code("kim@example.com", "RETRIEVE_PASSWORD")
        .await;
    app.fill("forgot-code", &code).await;
    // A password against the rules is refused before the cloud sees it.
    app.fill("forgot-password", "short").await;
    app.click("forgot-submit").await;
    app.wait_text("error-message", "the rules", |t| {
        t.contains("does not meet the rules")
    })
    .await;
    app.shot("weak-password").await;
    app.fill("forgot-password", "Fresh-Start-7").await;
    app.click("forgot-submit").await;
    app.wait_screen("login").await;
    app.shot("reset-done").await;
    // The old password no longer works; the new one does.
    log_in_with(&app, "kim@example.com", PASSWORD).await;
    app.wait_text("error-message", "the old password refused", |t| {
        t.starts_with("The password is incorrect")
    })
    .await;
    log_in_with(&app, "kim@example.com", "Fresh-Start-7").await;
    app.wait_screen("verify").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn l_an_account_of_another_region_is_followed_without_asking() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("leo@example.com", 1).await;
    let install = Install::new();
    let mut app = App::launch("l-region", &cloud, &install).await;
    assert_eq!(app.text("cloud-url").await, cloud.url());
    log_in_through_ui(&app, "leo@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("leo@example.com", "TERMINAL_BIND")
        .await;
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    assert_eq!(app.text("cloud-url").await, cloud.second_region_url());
    app.shot("home-in-second-region").await;
    app.click("nav-logout").await;
    app.wait_screen("login").await;
    app.quit().await;

    // Started again, it goes to the remembered region: no code, no detour.
    let app = App::launch("l-region-2", &cloud, &install).await;
    log_in_through_ui(&app, "leo@example.com").await;
    app.wait_screen("home").await;
    assert_eq!(app.text("cloud-url").await, cloud.second_region_url());
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn m_a_full_account_makes_room_then_logs_in() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("max@example.com", 44).await;
    cloud.bind_terminals("max@example.com", 10).await;
    let install = Install::new();
    let mut app = App::launch("m-terminals", &cloud, &install).await;
    log_in_through_ui(&app, "max@example.com").await;
    app.wait_screen("terminals").await;
    let rows = app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid='terminal-row']"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 10);
    let mut names = Vec::new();
    for e in app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid='terminal-name']"))
        .await
        .unwrap()
    {
        names.push(e.text().await.unwrap());
    }
    names.sort();
    let mut expected: Vec<String> = (1..=10).map(|i| format!("Phone {i}")).collect();
    expected.sort();
    assert_eq!(names, expected);
    assert!(app
        .text("terminal-last-used")
        .await
        .starts_with("Last used"));
    app.shot("terminals").await;
    let bound: Vec<String> = (0..10).map(hik_e2e::Api::bound_fingerprint).collect();
    hik_e2e::assert_no_fingerprint(&app, &bound).await;

    // Removing nothing is refused before anything is sent.
    app.click("remove-send").await;
    let code = cloud
        .qa()
        .latest_code("max@example.com", "TERMINAL_DELETE")
        .await;
    app.fill("remove-code", &code).await;
    app.click("remove-submit").await;
    app.wait_text("error-message", "a choice", |t| t.contains("at least one"))
        .await;
    app.click("terminal-check").await;
    app.shot("terminal-chosen").await;
    app.click("remove-submit").await;
    app.wait_screen("verify").await;
    let left = cloud.qa().account("max@example.com").await.terminals.len();
    assert_eq!(left, 9);
    cloud.qa().advance_clock(721).await;
    let before = cloud
        .qa()
        .outbox_for("max@example.com", "TERMINAL_BIND")
        .await
        .len();
    app.click("verify-send").await;
    let bind = cloud
        .qa()
        .nth_code("max@example.com", "TERMINAL_BIND", before + 1)
        .await;
    app.fill("verify-code", &bind).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn n_the_cloud_goes_away_mid_flow_and_nothing_typed_is_lost() {
    let mut cloud = Cloud::start().await;
    cloud.qa().create_account("nia@example.com", 44).await;
    let install = Install::new();
    let mut app = App::launch("n-cloud-away", &cloud, &install).await;
    app.wait_screen("login").await;
    cloud.stop().await;

    log_in_through_ui(&app, "nia@example.com").await;
    app.wait_visible("cloud-banner", true).await;
    assert!(app.text("cloud-banner").await.contains("cannot be reached"));
    assert!(app.is_enabled("login-submit").await);
    assert_eq!(app.prop("login-account", "value").await, "nia@example.com");
    assert_eq!(app.prop("login-password", "value").await, PASSWORD);
    app.shot("cloud-away").await;

    cloud.start_again().await;
    app.click("cloud-retry").await;
    app.wait_screen("verify").await;
    assert!(!app.is_visible("cloud-banner").await);

    // Away again while the code is asked for: the retry sends exactly one.
    cloud.stop().await;
    app.click("verify-send").await;
    app.wait_visible("cloud-banner", true).await;
    cloud.start_again().await;
    app.click("cloud-retry").await;
    app.wait_visible("cloud-banner", false).await;
    let code = cloud
        .qa()
        .latest_code("nia@example.com", "TERMINAL_BIND")
        .await;
    assert_eq!(
        cloud
            .qa()
            .outbox_for("nia@example.com", "TERMINAL_BIND")
            .await
            .len(),
        1
    );
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn o_with_no_keyring_the_app_says_so_and_logging_in_still_works() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("oz@example.com", 44).await;
    let install = Install::new();
    // No Secret Service on this bus: the keyring cannot be reached.
    let mut app = App::launch_with(
        "o-no-keyring",
        cloud.url(),
        &install,
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")],
    )
    .await;
    app.wait_visible("keyring-banner", true).await;
    assert!(app
        .text("keyring-banner")
        .await
        .contains("cannot be remembered"));
    app.shot("no-keyring").await;
    log_in_through_ui(&app, "oz@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("oz@example.com", "TERMINAL_BIND")
        .await;
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    assert!(app
        .text("home-terminal")
        .await
        .contains("cannot be remembered"));
    app.quit().await;
    assert!(
        install.keyring_secret("featureCode").is_none(),
        "nothing reached the keyring"
    );
}
