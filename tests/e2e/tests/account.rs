//! After login: the account's devices (kept for when the cloud is away), a
//! session that outlives its 24 hours without the person noticing, the QA
//! drawer, account security, and all of it from the keyboard.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fantoccini::Locator;
use hik_e2e::{sign_up_through_ui, App, Cloud, Install};

async fn texts(app: &App, testid: &str) -> Vec<String> {
    app.texts(testid).await
}

#[tokio::test(flavor = "multi_thread")]
async fn p_the_devices_are_listed_open_their_cameras_and_stay_when_the_cloud_is_away() {
    let mut cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("p-devices", &cloud, &install).await;
    sign_up_through_ui(&mut app, &cloud, "pia@example.com").await;
    app.wait_text("devices-updated", "the list's time", |t| {
        t.starts_with("Updated just now")
    })
    .await;
    let kinds = texts(&app, "device-type").await;
    assert!(
        kinds.iter().filter(|k| *k == "IP camera").count() >= 2,
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"Network video recorder".to_owned()),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"Digital video recorder".to_owned()),
        "{kinds:?}"
    );
    let statuses = texts(&app, "device-status").await;
    assert!(statuses.contains(&"Offline".to_owned()), "{statuses:?}");
    assert!(statuses.contains(&"Online".to_owned()), "{statuses:?}");
    let names = texts(&app, "device-name").await;
    app.shot("devices").await;

    // The NVR opens its channels.
    let nvr = kinds
        .iter()
        .position(|k| k == "Network video recorder")
        .unwrap();
    let buttons = app
        .client
        .find_all(Locator::Css("[data-testid='device-open']"))
        .await
        .unwrap();
    buttons[nvr].click().await.unwrap();
    app.wait_visible("device-cameras", true).await;
    let channels = texts(&app, "camera-channel").await;
    assert!(channels.len() >= 4, "{channels:?}");
    assert_eq!(channels[0], "CH 1");
    // The opened row keeps its layout (its name, kind and status apart) and
    // says it is open.
    assert_eq!(texts(&app, "device-name").await, names);
    assert_eq!(texts(&app, "device-status").await.len(), names.len());
    assert_eq!(
        buttons[nvr].attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    app.shot("nvr-channels").await;

    // The cloud goes away: the saved list is shown, and says so.
    cloud.stop().await;
    app.click("devices-refresh").await;
    app.wait_text("devices-saved", "the saved notice", |t| {
        t.starts_with("Saved list from just now")
    })
    .await;
    assert_eq!(texts(&app, "device-name").await, names);
    app.shot("saved-devices").await;

    cloud.start_again().await;
    app.click("devices-refresh").await;
    app.wait_visible("devices-saved", false).await;
    assert_eq!(texts(&app, "device-name").await, names);
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn q_a_session_past_its_24_hours_is_renewed_without_a_word() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("q-session", &cloud, &install).await;
    sign_up_through_ui(&mut app, &cloud, "quinn@example.com").await;
    app.wait_text("devices-updated", "the list's time", |t| {
        t.starts_with("Updated just now")
    })
    .await;
    let before = install.keyring_secret("refreshToken").unwrap();
    cloud.qa().advance_clock(25 * 3600).await;
    app.click("devices-refresh").await;
    app.wait_enabled("devices-refresh", true, std::time::Duration::from_secs(20))
        .await;
    assert_eq!(app.screen().await, "home");
    assert!(!app.is_visible("error-message").await);
    assert!(!texts(&app, "device-name").await.is_empty());
    let after = install.keyring_secret("refreshToken").unwrap();
    assert_ne!(before, after, "the renewed refresh token is kept");
    app.quit().await;
}

/// The cloud clock as the drawer shows it, parsed back by the page itself.
async fn drawer_clock(app: &App) -> i64 {
    let text = app.text("qa-clock-now").await;
    let ms = app
        .client
        .execute("return Date.parse(arguments[0])", vec![text.clone().into()])
        .await
        .unwrap();
    ms.as_f64()
        .map(|m| (m / 1000.0) as i64)
        .unwrap_or_else(|| panic!("unreadable clock {text:?}"))
}

/// Past the cooldown, resend, and wait for the drawer to show the new message
/// with `status`.
async fn resend_with(app: &App, cloud: &Cloud, status: &str) {
    cloud.qa().advance_clock(61).await;
    app.wait_enabled("verify-resend", true, std::time::Duration::from_secs(10))
        .await;
    app.click("verify-resend").await;
    app.wait_text("qa-message-status", status, |t| {
        t.eq_ignore_ascii_case(status)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn r_every_control_of_the_qa_drawer_does_what_it_says() {
    let cloud = Cloud::start().await;
    cloud.qa().create_account("rae@example.com", 44).await;
    let install = Install::new();
    // A stand-in for the system's browser opener, which notes what it opened.
    let opener = tempfile::tempdir().unwrap();
    let opened = opener.path().join("opened.txt");
    let script = opener.path().join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        opener.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut app = App::launch_with(
        "r-qa-drawer",
        cloud.url(),
        &install,
        &[("PATH", path.as_str())],
    )
    .await;
    hik_e2e::log_in_through_ui(&app, "rae@example.com").await;
    app.wait_screen("verify").await;

    // The keyboard shortcut opens it (from *Send code*, which has the focus:
    // the code field rests until a code is sent).
    app.find("verify-send")
        .await
        .send_keys(&format!(
            "{}{}q",
            char::from(fantoccini::key::Key::Control),
            char::from(fantoccini::key::Key::Shift)
        ))
        .await
        .unwrap();
    app.wait_visible("qa-drawer", true).await;
    assert!(app.text("qa-addresses").await.contains("rae@example.com"));
    assert!(app.text("qa-inbox-link").await.ends_with("/qa/inbox"));

    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("rae@example.com", "TERMINAL_BIND")
        .await;
    app.wait_text("qa-message-code", "the code", |t| t == code)
        .await;
    app.shot("drawer-code").await;

    // Clock: each button moves the cloud's clock by what it says.
    let t0 = drawer_clock(&app).await;
    app.click("qa-clock-1m").await;
    app.wait_enabled("qa-clock-1m", true, std::time::Duration::from_secs(10))
        .await;
    let t1 = drawer_clock(&app).await;
    assert!(
        (60..=62).contains(&(t1 - t0)),
        "+1 minute moved {}",
        t1 - t0
    );
    app.click("qa-clock-10m").await;
    app.wait_text("verify-expiry", "the expired code", |t| {
        t.contains("expired")
    })
    .await;
    let t2 = drawer_clock(&app).await;
    assert!(
        (600..=602).contains(&(t2 - t1)),
        "+10 minutes moved {}",
        t2 - t1
    );
    app.click("qa-clock-1h").await;
    app.wait_enabled("qa-clock-1h", true, std::time::Duration::from_secs(10))
        .await;
    let t3 = drawer_clock(&app).await;
    assert!(
        (3600..=3602).contains(&(t3 - t2)),
        "+1 hour moved {}",
        t3 - t2
    );

    // Faults on email: dropped, failed, delayed, then normal again.
    app.click("qa-fault-email-drop").await;
    app.click("qa-fault-email-apply").await;
    app.wait_text("qa-fault-email-state", "the drop", |t| {
        t.contains("100% dropped")
    })
    .await;
    resend_with(&app, &cloud, "dropped").await;
    app.shot("drawer-dropped").await;

    app.click("qa-fault-email-drop").await;
    app.fill("qa-fault-email-fail", "1").await;
    app.click("qa-fault-email-apply").await;
    app.wait_text("qa-fault-email-state", "the failure", |t| {
        t.contains("next 1 fail")
    })
    .await;
    resend_with(&app, &cloud, "failed").await;

    app.fill("qa-fault-email-fail", "0").await;
    app.fill("qa-fault-email-delay", "30").await;
    app.click("qa-fault-email-apply").await;
    app.wait_text("qa-fault-email-state", "the delay", |t| {
        t.contains("30 s late")
    })
    .await;
    resend_with(&app, &cloud, "delayed").await;
    app.click("qa-clock-1m").await;
    app.wait_text("qa-message-status", "the late arrival", |t| {
        t.eq_ignore_ascii_case("delivered")
    })
    .await;

    app.fill("qa-fault-sms-delay", "45").await;
    app.click("qa-fault-sms-apply").await;
    app.wait_text("qa-fault-sms-state", "the SMS delay", |t| {
        t.contains("45 s late")
    })
    .await;
    app.click("qa-faults-clear").await;
    app.wait_text("qa-fault-email-state", "normal delivery", |t| {
        t == "Delivering normally."
    })
    .await;
    assert_eq!(app.text("qa-fault-sms-state").await, "Delivering normally.");

    // The delivered code logs in; Escape closes the drawer.
    let newest = cloud
        .qa()
        .outbox_for("rae@example.com", "TERMINAL_BIND")
        .await[0]
        .code
        .clone()
        .unwrap();
    app.find("qa-close")
        .await
        .send_keys(&fantoccini::key::Key::Escape.to_string())
        .await
        .unwrap();
    app.wait_visible("qa-drawer", false).await;
    app.fill("verify-code", &newest).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.click("qa-open").await;
    app.wait_visible("qa-drawer", true).await;

    // The inbox button hands the inbox's address to the system's browser.
    app.click("qa-inbox-open").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_to_string(&opened).is_ok_and(|u| u.ends_with('\n')) {
        assert!(
            std::time::Instant::now() < deadline,
            "the opener was never run"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let url = std::fs::read_to_string(&opened).unwrap();
    assert_eq!(url.trim(), format!("{}/qa/inbox", cloud.url()));
    app.quit().await;
}

/// Sign up in the UI, then open the account security screen.
async fn signed_up_in_settings(app: &mut App, cloud: &Cloud, email: &str) {
    sign_up_through_ui(app, cloud, email).await;
    app.click("nav-settings").await;
    app.wait_screen("settings").await;
    app.wait_text("profile-email", "the masked email", |t| t.contains("***@"))
        .await;
}

/// The newest code sent to `to` for `biz` once there are `n` of them.
async fn code_number(cloud: &Cloud, to: &str, biz: &str, n: usize) -> String {
    cloud.qa().nth_code(to, biz, n).await
}

#[tokio::test(flavor = "multi_thread")]
async fn s_with_two_step_off_a_new_install_logs_in_without_a_code() {
    let cloud = Cloud::start().await;
    let first = Install::new();
    let mut app = App::launch("s-two-step", &cloud, &first).await;
    signed_up_in_settings(&mut app, &cloud, "sam@example.com").await;
    assert!(app.text("two-step-status").await.starts_with("On"));
    app.shot("settings").await;
    app.click("two-step-toggle").await;
    app.wait_text("two-step-status", "two-step off", |t| t.starts_with("Off"))
        .await;
    assert!(app.text("settings-notice").await.contains("off"));
    app.quit().await;

    let second = Install::new();
    let mut app = App::launch("s-two-step-2", &cloud, &second).await;
    hik_e2e::log_in_through_ui(&app, "sam@example.com").await;
    app.wait_screen("home").await;
    assert!(cloud
        .qa()
        .outbox_for("sam@example.com", "TERMINAL_BIND")
        .await
        .is_empty());

    // This computer is not trusted: turning two-step back on needs a code.
    app.click("nav-settings").await;
    app.wait_screen("settings").await;
    app.click("two-step-toggle").await;
    app.click("twostep-send").await;
    let code = cloud
        .qa()
        .latest_code("sam@example.com", "TERMINAL_BIND")
        .await;
    app.fill("twostep-code", &code).await;
    app.shot("two-step-code").await;
    app.click("twostep-submit").await;
    app.wait_text("two-step-status", "two-step on", |t| t.starts_with("On"))
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn t_a_removed_terminal_is_asked_for_a_code_again() {
    let cloud = Cloud::start().await;
    let (first, second) = (Install::new(), Install::new());
    let mut app = App::launch("t-terminals", &cloud, &first).await;
    sign_up_through_ui(&mut app, &cloud, "tia@example.com").await;
    app.quit().await;

    // A second install logs in with a code and is trusted.
    let other = App::launch("t-terminals-2", &cloud, &second).await;
    hik_e2e::log_in_through_ui(&other, "tia@example.com").await;
    other.wait_screen("verify").await;
    other.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("tia@example.com", "TERMINAL_BIND")
        .await;
    other.fill("verify-code", &code).await;
    other.click("verify-submit").await;
    other.wait_screen("home").await;
    other.quit().await;

    // The first removes it.
    let mut app = App::launch("t-terminals-3", &cloud, &first).await;
    app.wait_screen("home").await;
    app.click("nav-settings").await;
    app.wait_screen("settings").await;
    // The list arrives after the screen: wait for it.
    app.wait_visible("settings-terminal-row", true).await;
    let rows = app
        .client
        .find_all(Locator::Css("[data-testid='settings-terminal-row']"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let this: Vec<String> = texts(&app, "terminal-this")
        .await
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    assert_eq!(this, ["this computer"]);
    app.shot("terminals").await;
    let fingerprints: Vec<String> = [&first, &second]
        .iter()
        .map(|i| i.keyring_secret("featureCode").unwrap())
        .collect();
    hik_e2e::assert_no_fingerprint(&app, &fingerprints).await;
    let mut removed = false;
    for row in rows {
        let this = row
            .find_all(Locator::Css("[data-testid='terminal-this']"))
            .await
            .unwrap();
        if this.is_empty() {
            row.find(Locator::Css("[data-testid='terminal-remove']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            removed = true;
            break;
        }
    }
    assert!(removed);
    app.wait_text("settings-notice", "the removal", |t| {
        t.contains("was removed")
    })
    .await;
    let rows = texts(&app, "settings-terminal-name").await;
    assert_eq!(rows.len(), 1, "{rows:?}");

    // Removing this computer logs out here, after a second click.
    app.click("terminal-remove").await;
    app.click("terminal-remove-confirm").await;
    app.wait_screen("login").await;
    assert!(app.text("login-notice").await.contains("removed"));
    app.quit().await;

    // The removed install is back at login, and is asked for a code again.
    let other = App::launch("t-terminals-4", &cloud, &second).await;
    hik_e2e::log_in_through_ui(&other, "tia@example.com").await;
    other.wait_screen("verify").await;
    other.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn u_the_email_changes_with_both_codes_and_is_the_login_from_then_on() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("u-email", &cloud, &install).await;
    signed_up_in_settings(&mut app, &cloud, "uma@example.com").await;
    app.click("email-change").await;
    app.fill("email-new", "uma.new@example.com").await;
    app.click("email-old-send").await;
    let old = code_number(
        &cloud,
        "uma@example.com",
        "UPDATE_EMAIL_VALIDATE_OLD_EMAIL",
        1,
    )
    .await;
    app.fill("email-old-code", &old).await;
    app.click("email-old-submit").await;
    app.click("email-new-send").await;
    let new = code_number(
        &cloud,
        "uma.new@example.com",
        "UPDATE_EMAIL_VALIDATE_NEW_EMAIL",
        1,
    )
    .await;
    app.fill("email-new-code", &new).await;
    app.shot("second-code").await;
    app.click("email-new-submit").await;
    app.wait_text("settings-notice", "the new email", |t| {
        t.contains("uma.new@example.com")
    })
    .await;
    assert_eq!(app.text("profile-email").await, "um***@example.com");

    // The guide's advice: a test code to the new address, typed back.
    app.click("contact-test-start").await;
    app.click("contact-test-send").await;
    let test = cloud
        .qa()
        .latest_code("uma.new@example.com", "CONTACT_TEST")
        .await;
    app.fill("contact-test-code", &test).await;
    app.click("contact-test-submit").await;
    app.wait_text("settings-notice", "the test code confirmed", |t| {
        t.contains("The test code arrived at uma.new@example.com")
    })
    .await;
    app.shot("test-code-confirmed").await;

    // A phone number is added the same way: a code to the email, then one by
    // SMS to the number (national part; the region's dialling code is added).
    assert_eq!(app.text("profile-phone").await, "None");
    app.click("phone-change").await;
    app.fill("phone-new", "07700 900123").await;
    app.click("phone-old-send").await;
    let old = code_number(
        &cloud,
        "uma.new@example.com",
        "UPDATE_PHONE_VALIDATE_OLD_EMAIL",
        1,
    )
    .await;
    app.fill("phone-old-code", &old).await;
    app.click("phone-old-submit").await;
    app.click("phone-new-send").await;
    let new = code_number(&cloud, "07700900123", "UPDATE_PHONE_VALIDATE_NEW_PHONE", 1).await;
    app.fill("phone-new-code", &new).await;
    app.click("phone-new-submit").await;
    app.wait_text("profile-phone", "the new phone", |t| t == "+44 077****0123")
        .await;
    // With both, the person chooses where codes go.
    app.wait_visible("code-channel-phone", true).await;
    app.click("nav-logout").await;
    app.wait_screen("login").await;
    hik_e2e::log_in_through_ui(&app, "uma.new@example.com").await;
    app.wait_screen("home").await;
    assert_eq!(app.text("home-user").await, "uma.new@example.com");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn v_the_password_changes() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("v-password", &cloud, &install).await;
    signed_up_in_settings(&mut app, &cloud, "vic@example.com").await;
    app.fill("password-old", "not-the-password").await;
    app.fill("password-new", "Another-Horse-8").await;
    app.click("password-submit").await;
    app.wait_text("error-message", "the wrong current password", |t| {
        t.starts_with("The password is incorrect")
    })
    .await;
    app.fill("password-old", hik_e2e::PASSWORD).await;
    app.fill("password-new", "Another-Horse-8").await;
    app.click("password-submit").await;
    app.wait_text("settings-notice", "the change", |t| t.contains("changed"))
        .await;
    app.click("nav-logout").await;
    hik_e2e::log_in_with(&app, "vic@example.com", "Another-Horse-8").await;
    app.wait_screen("home").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn w_the_account_is_deleted_with_a_code_after_a_confirmation() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("w-delete", &cloud, &install).await;
    signed_up_in_settings(&mut app, &cloud, "wes@example.com").await;
    app.click("delete-start").await;
    assert!(
        !app.is_visible("delete-send").await,
        "nothing before the confirmation"
    );
    app.click("delete-confirm").await;
    app.click("delete-send").await;
    let code = cloud
        .qa()
        .latest_code("wes@example.com", "USER_DELETE")
        .await;
    app.fill("delete-code", &code).await;
    app.shot("delete").await;
    app.click("delete-submit").await;
    app.wait_screen("login").await;
    assert!(app.text("login-notice").await.contains("deleted"));
    hik_e2e::log_in_through_ui(&app, "wes@example.com").await;
    app.wait_text("error-message", "no such account", |t| {
        t.starts_with("No account")
    })
    .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn x_from_the_keyboard_alone_a_new_computer_logs_in_and_opens_the_qa_drawer() {
    use fantoccini::key::Key;
    let cloud = Cloud::start().await;
    cloud.qa().create_account("xia@example.com", 44).await;
    let install = Install::new();
    let mut app = App::launch("x-keyboard", &cloud, &install).await;
    app.wait_screen("login").await;
    assert_eq!(app.focused().await, "login-account");
    app.type_keys(&format!("xia@example.com{}", char::from(Key::Tab)))
        .await;
    assert_eq!(app.focused().await, "login-password");
    app.type_keys(&format!("{}{}", hik_e2e::PASSWORD, char::from(Key::Enter)))
        .await;
    app.wait_screen("verify").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.focused().await != "verify-send" {
        assert!(
            std::time::Instant::now() < deadline,
            "focus not on Send code"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.type_keys(&char::from(Key::Enter).to_string()).await;
    let code = cloud
        .qa()
        .latest_code("xia@example.com", "TERMINAL_BIND")
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.focused().await != "verify-code" {
        assert!(
            std::time::Instant::now() < deadline,
            "focus not on the code"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.wait_announced("Code sent to xi***@example.com").await;
    app.type_keys(&format!("{code}{}", char::from(Key::Enter)))
        .await;
    app.wait_screen("home").await;
    app.shot("home-by-keyboard").await;
    app.toggle_qa_drawer_by_keys().await;
    app.wait_visible("qa-drawer", true).await;
    assert_eq!(app.focused().await, "qa-close");
    app.type_keys(&char::from(Key::Escape).to_string()).await;
    app.wait_visible("qa-drawer", false).await;
    assert_eq!(app.focused().await, "qa-open");
    app.quit().await;
}
