//! The app in Simplified Chinese and in the right-to-left pseudo-locale, as
//! a person would meet it: sign-up, then a second computer's login with the
//! new-terminal code, the wrong-code ladder and a resend, driven by testids
//! alone. On each screen: the document's language and direction, no English
//! word left outside user data, and no text overflowing its box.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use hik_e2e::walks::{self, Look, Setting};
use hik_e2e::{log_in_through_ui, App, Cloud, Install};
use std::time::Duration;

/// What a screen says: its language and direction, the English words left
/// (outside user data: addresses, codes, names, marked `dir="ltr"` or
/// `translate="no"`; in ar-XB, words written right to left are the
/// pseudo-locale's own).
const LOOK: &str = r#"
const ALLOWED = new Set(['Hik-Connect', 'QA', 'SMS', 'HTTP', 'Ctrl', 'Shift', 'Q']);
const shown = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
};
// (The document's own dir="ltr" says nothing about a piece of text.)
const userData = (el) => el.closest('body [dir="ltr"], [translate="no"], code, option, .language, .brand');
// Words, outside right-to-left runs (ar-XB's own) and email addresses (an
// example address in a placeholder is no English).
const words = (text) =>
  (text.replace(/\u202e[^\u202c]*\u202c/g, ' ').replace(/[^\s@]+@[^\s@]+/g, ' ').match(/[A-Za-z][A-Za-z'’-]+/g) || [])
    .filter((w) => !ALLOWED.has(w));
const english = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const el = n.parentElement;
  if (!el || userData(el) || !shown(el) || el.closest('script, style, .sr-only')) continue;
  const w = words(n.textContent);
  if (w.length) english.push(`${w.join(' ')} (in ${el.dataset.testid || el.tagName.toLowerCase()})`);
}
for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')) {
  if (!shown(el) || userData(el)) continue;
  // A label that names user data inside the element (a device's name).
  const data = [...el.querySelectorAll('[translate="no"], body [dir="ltr"]')].map((d) => d.textContent);
  for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
    let value = el.getAttribute(a) || '';
    for (const d of data) if (d) value = value.split(d).join(' ');
    const w = words(value);
    if (w.length) english.push(`${w.join(' ')} (${a} of ${el.dataset.testid || el.tagName.toLowerCase()})`);
  }
}
return { lang: document.documentElement.lang, dir: document.documentElement.dir, english };
"#;

async fn look(app: &mut App, lang: &str, dir: &str, step: &str) {
    // Let the screen settle (fonts, a label that changes on focus).
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.shot(step).await;
    let seen = app.execute(LOOK).await;
    assert_eq!(seen["lang"], lang, "{step}: {seen}");
    assert_eq!(seen["dir"], dir, "{step}: {seen}");
    let none = |k: &str| seen[k].as_array().is_none_or(|a| a.is_empty());
    // (en-XA formats numbers, dates and durations as English does: Intl has
    // no pseudo-locale, so English words from it are expected there.)
    if lang != "en-XA" {
        assert!(none("english"), "{step}: English left: {}", seen["english"]);
    }
    let overflow = app.overflow().await;
    assert!(overflow.is_empty(), "{step}: text overflows: {overflow:?}");
}

/// The walks' screens, each looked at in `lang`, written `dir`.
struct Speaks {
    lang: &'static str,
    dir: &'static str,
}

impl Look for Speaks {
    async fn at(&mut self, app: &mut App, step: &str) {
        look(app, self.lang, self.dir, step).await;
    }
}

/// Sign-up, then a second computer's code, its wrong-code ladder and a
/// resend, in `lang`.
async fn walk(lang: &'static str, dir: &'static str) {
    let setting = Setting::new(&format!("lang-{lang}"), lang);
    walks::the_whole_walk(&setting, &mut Speaks { lang, dir }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_walk_in_simplified_chinese() {
    walk("zh-CN", "ltr").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_walk_right_to_left() {
    walk("ar-XB", "rtl").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_walk_forty_percent_longer() {
    walk("en-XA", "ltr").await;
}

/// A dead code is worded by the app from its reason, in the app's language,
/// whatever language the cloud's `meta.message` is in: Chinese on screen
/// from a cloud that answers in English, and English from one that answers
/// in Chinese as the real service does.
#[tokio::test(flavor = "multi_thread")]
async fn a_dead_code_is_said_in_the_apps_language_not_the_clouds() {
    use hik_e2e::Messages;
    for (lang, messages, expect) in [
        ("zh-CN", Messages::En, "验证码已过期。"),
        ("en", Messages::Zh, "The verification code has expired."),
    ] {
        let cloud = Cloud::builder()
            .rules(|r| r.messages = messages)
            .start()
            .await;
        cloud.account("ko@example.com").await;
        // A code sent earlier (another attempt), now past its ten minutes.
        cloud.send_code("ko@example.com", "TERMINAL_BIND").await;
        let code = cloud
            .qa()
            .latest_code("ko@example.com", "TERMINAL_BIND")
            .await;
        cloud.qa().advance_clock(11 * 60).await;

        let install = Install::new().speaking(lang);
        let mut app = App::launch(&format!("dead-code-{lang}"), &cloud, &install).await;
        log_in_through_ui(&app, "ko@example.com").await;
        app.wait_screen("verify").await;
        app.click("verify-have-code").await;
        app.fill("verify-code", &code).await;
        app.click("verify-submit").await;
        app.wait_text("verify-expiry", expect, |t| t.starts_with(expect))
            .await;
        app.shot("dead-code").await;
        app.quit().await;
    }
}

/// Every other screen and state, in `lang`: the captcha, the lock, a full
/// account's terminals, the forgotten password, home with its devices and a
/// device's cameras, account security with its activity, and the QA drawer.
async fn tour(lang: &'static str, dir: &'static str) {
    let setting = Setting::new(&format!("tour-{lang}"), lang);
    walks::every_other_screen(&setting, &mut Speaks { lang, dir }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_other_screen_in_simplified_chinese() {
    tour("zh-CN", "ltr").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_other_screen_right_to_left() {
    tour("ar-XB", "rtl").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_other_screen_forty_percent_longer() {
    tour("en-XA", "ltr").await;
}

/// The picker at the top, before login: the window turns Chinese at once,
/// what was typed stays, and the next start opens in Chinese, unless
/// `--lang` says otherwise for that run.
#[tokio::test(flavor = "multi_thread")]
async fn the_language_chosen_in_the_app_is_kept_for_the_next_start() {
    let cloud = Cloud::start().await;
    let install = Install::new();
    let mut app = App::launch("picker", &cloud, &install).await;
    app.wait_screen("login").await;
    app.fill("login-account", "ana@example.com").await;
    app.select("language-picker", "zh-CN").await;
    app.wait_text("login-submit", "the button in Chinese", |t| t == "登录")
        .await;
    assert_eq!(app.prop("login-account", "value").await, "ana@example.com");
    look(&mut app, "zh-CN", "ltr", "picked").await;
    app.quit().await;

    // The next start, with no --lang: Chinese from the first screen on.
    let args: Vec<String> = install
        .args()
        .into_iter()
        .take_while(|a| a != "--lang")
        .chain(["--cloud-url".to_owned(), cloud.url().to_owned()])
        .collect();
    let app = App::launch_binary("picker-again", &hik_e2e::app_binary(), &args, &[]).await;
    app.wait_screen("login").await;
    assert_eq!(app.text("login-submit").await, "登录");
    let starting = app.execute("return document.documentElement.lang").await;
    assert_eq!(starting, "zh-CN");
    app.quit().await;

    // --lang wins for its run.
    let app = App::launch("picker-flag", &cloud, &install).await;
    app.wait_screen("login").await;
    assert_eq!(app.text("login-submit").await, "Log in");
    app.quit().await;
}
