//! Two walks through every screen of the app, for suites that check each
//! screen for something of their own (its language, its accessibility): the
//! whole walk (sign-up, then a second computer's login with the new-terminal
//! code, the wrong-code ladder and a resend) and a tour of every other screen
//! (captcha, by picture and by email, lock, forgotten password and its code, a full account's
//! terminals and their code, devices and cameras, account security with its
//! email change, account deletion and a cloud that fails, the QA drawer).
//! Driven by testids alone.

use crate::{log_in_through_ui, log_in_with, App, Cloud, Install, PASSWORD};
use std::time::Duration;

/// What a suite checks on each screen the walks reach, by step name.
#[allow(async_fn_in_trait)] // used by this crate's own suites, awaited in place
pub trait Look {
    async fn at(&mut self, app: &mut App, step: &str);
}

/// How the app is started for a walk: its language and theme.
#[derive(Debug, Clone)]
pub struct Setting {
    pub lang: String,
    pub theme: Option<String>,
    /// The name its screenshots and driver logs go under (the whole walk
    /// adds `-signup` and `-verify` for its two computers).
    pub tag: String,
}

impl Setting {
    pub fn new(tag: &str, lang: &str) -> Self {
        Self {
            lang: lang.to_owned(),
            theme: None,
            tag: tag.to_owned(),
        }
    }

    /// The same, in GTK's `theme` (`dark`).
    pub fn themed(mut self, theme: &str) -> Self {
        self.theme = Some(theme.to_owned());
        self
    }

    fn install(&self) -> Install {
        let install = Install::new().speaking(&self.lang);
        match &self.theme {
            Some(theme) => install.themed(theme),
            None => install,
        }
    }
}

/// Wait until the error line says something other than `before`.
async fn next_error(app: &App, before: &str) -> String {
    let before = before.to_owned();
    app.wait_text("error-message", "a new error line", move |t| {
        !t.is_empty() && t != before
    })
    .await;
    app.text("error-message").await
}

/// Sign-up, then a second computer: a code, wrong entries until the code
/// dies, a resend.
pub async fn the_whole_walk<L: Look>(setting: &Setting, look: &mut L) {
    let cloud = Cloud::start().await;
    let email = format!(
        "{}@example.com",
        setting.tag.to_lowercase().replace('-', "")
    );

    let first = setting.install();
    let mut app = App::launch(&format!("{}-signup", setting.tag), &cloud, &first).await;
    app.wait_screen("login").await;
    look.at(&mut app, "login").await;
    app.click("nav-signup").await;
    app.wait_screen("signup").await;
    app.select("signup-region", "44").await;
    look.at(&mut app, "signup").await;
    app.fill("signup-email", &email).await;
    app.click("signup-send-code").await;
    app.wait_visible("signup-code", true).await;
    let code = cloud.qa().latest_code(&email, "USER_REGISTRATION").await;
    app.fill("signup-code", &code).await;
    app.fill("signup-password", PASSWORD).await;
    look.at(&mut app, "signup-code").await;
    app.click("signup-submit").await;
    app.wait_screen("home").await;
    look.at(&mut app, "home").await;
    app.quit().await;

    let second = setting.install();
    let mut app = App::launch(&format!("{}-verify", setting.tag), &cloud, &second).await;
    log_in_through_ui(&app, &email).await;
    app.wait_screen("verify").await;
    look.at(&mut app, "verify").await;
    app.click("verify-send").await;
    app.wait_enabled("verify-code", true, Duration::from_secs(10))
        .await;
    let right = cloud.qa().latest_code(&email, "TERMINAL_BIND").await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let mut said = String::new();
    for n in 1..=4 {
        app.fill("verify-code", wrong).await;
        app.click("verify-submit").await;
        said = next_error(&app, &said).await;
        look.at(&mut app, &format!("wrong-code-{n}")).await;
    }
    app.fill("verify-code", wrong).await;
    app.click("verify-submit").await;
    app.wait_visible("error-message", false).await;
    assert!(
        !app.is_enabled("verify-submit").await,
        "a dead code's Verify rests"
    );
    look.at(&mut app, "code-dead").await;
    cloud.qa().advance_clock(61).await;
    app.wait_enabled("verify-resend", true, Duration::from_secs(10))
        .await;
    app.click("verify-resend").await;
    resent(&app, &cloud, &email).await;
    let fresh = cloud.qa().nth_code(&email, "TERMINAL_BIND", 2).await;
    app.fill("verify-code", &fresh).await;
    look.at(&mut app, "resent").await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.quit().await;
}

/// Every other screen: captcha, lock, forgotten password (and its code), a
/// full account's terminals (and their code), then an account with devices:
/// its cameras, account security (an email change, a deletion about to be
/// confirmed, the cloud failing) and the QA drawer.
pub async fn every_other_screen<L: Look>(setting: &Setting, look: &mut L) {
    let cloud = Cloud::start().await;
    let captcha = cloud.qa().scenario("captcha-required", None).await;
    let locked = cloud.qa().scenario("account-locked", None).await;
    let full = cloud.qa().scenario("terminals-full", None).await;
    let install = setting.install();
    let mut app = App::launch(&setting.tag, &cloud, &install).await;
    let password = |s: &hik_proto::qa::ScenarioSetUp| s.password.clone().unwrap();

    log_in_with(&app, &captcha.account, &password(&captcha)).await;
    app.wait_visible("login-captcha-box", true).await;
    look.at(&mut app, "captcha").await;
    app.click("login-captcha-send").await;
    app.wait_visible("login-captcha-sent", true).await;
    look.at(&mut app, "captcha-sent").await;
    log_in_with(&app, &locked.account, &password(&locked)).await;
    app.wait_visible("login-lock", true).await;
    look.at(&mut app, "locked").await;
    app.click("nav-forgot").await;
    app.wait_screen("forgot").await;
    look.at(&mut app, "forgot").await;
    app.click("forgot-send-code").await;
    app.wait_enabled("forgot-code", true, Duration::from_secs(10))
        .await;
    look.at(&mut app, "forgot-code").await;
    app.click("forgot-cancel").await;
    log_in_with(&app, &full.account, &password(&full)).await;
    app.wait_screen("terminals").await;
    look.at(&mut app, "terminals").await;
    app.click("terminal-check").await;
    app.click("remove-send").await;
    app.wait_enabled("remove-code", true, Duration::from_secs(10))
        .await;
    look.at(&mut app, "terminals-code").await;
    app.click("terminals-cancel").await;

    cloud.account("tour@example.com").await;
    log_in_through_ui(&app, "tour@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("tour@example.com", "TERMINAL_BIND")
        .await;
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.wait_visible("device-open", true).await;
    app.click("device-open").await;
    app.wait_visible("device-cameras", true).await;
    look.at(&mut app, "cameras").await;
    app.click("nav-settings").await;
    app.wait_screen("settings").await;
    app.wait_visible("activity-list", true).await;
    look.at(&mut app, "settings").await;
    app.click("email-change").await;
    app.wait_visible("email-old-send", true).await;
    look.at(&mut app, "settings-email").await;
    app.click("email-old-cancel").await;
    app.click("delete-start").await;
    app.click("delete-confirm").await;
    app.wait_visible("delete-send", true).await;
    look.at(&mut app, "settings-delete").await;
    // The cloud's gateway fails: the banner and the form's line.
    cloud
        .qa()
        .set_endpoint_fault("/v3/terminals", Some(504), 0)
        .await;
    app.click("two-step-toggle").await;
    app.wait_visible("cloud-banner", true).await;
    look.at(&mut app, "cloud-error").await;
    cloud.qa().clear_faults().await;
    app.click("qa-open").await;
    app.wait_visible("qa-message", true).await;
    look.at(&mut app, "qa-drawer").await;
    app.quit().await;
}

/// Wait for the second TERMINAL_BIND message; when it does not come, say
/// what the window showed (its error line, the resend button's state).
async fn resent(app: &App, cloud: &Cloud, email: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while cloud.qa().outbox_for(email, "TERMINAL_BIND").await.len() < 2 {
        if std::time::Instant::now() > deadline {
            panic!(
                "the resend sent nothing: the error line says {:?}, the button {:?} (disabled: {})",
                app.text("error-message").await,
                app.text("verify-resend").await,
                app.prop("verify-resend", "disabled").await
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
