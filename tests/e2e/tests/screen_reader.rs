//! What a screen reader hears on the login and verify screens: the window's
//! accessibility tree read over AT-SPI, as Orca reads it on Linux. Every
//! control has a name and the role a person expects; the code field is
//! described by its hint; an error is in the tree once shown.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use hik_e2e::atspi::{Node, SCREEN_READER};
use hik_e2e::{log_in_through_ui, App, Cloud, Install};
use std::time::Duration;

/// The first node with `role` and `name`.
fn find<'a>(tree: &'a [Node], role: &str, name: &str) -> &'a Node {
    tree.iter()
        .find(|n| n.role == role && n.name == name)
        .unwrap_or_else(|| panic!("no {role} named {name:?} in the tree:\n{}", dump(tree)))
}

fn dump(tree: &[Node]) -> String {
    tree.iter()
        .filter(|n| !n.name.is_empty() || n.role != "section")
        .map(|n| {
            format!(
                "{}{}: {:?} {:?} {:?}\n",
                "  ".repeat(n.depth.min(20)),
                n.role,
                n.name,
                n.description,
                n.text
            )
        })
        .collect()
}

/// Controls a person can reach, each with a name.
fn unnamed_controls(tree: &[Node]) -> Vec<String> {
    const CONTROLS: &[&str] = &[
        "push button",
        "toggle button",
        "entry",
        "password text",
        "combo box",
        "check box",
        "radio button",
        "link",
    ];
    tree.iter()
        .filter(|n| CONTROLS.contains(&n.role.as_str()) && n.name.trim().is_empty())
        .filter(|n| n.states.iter().any(|s| s == "showing"))
        .map(|n| n.role.clone())
        .collect()
}

/// The tree of the screen on show, kept beside the screenshots as text
/// (`screen-reader-<screen>.txt`), every control in it named.
async fn heard(app: &App, screen: &str) -> Vec<Node> {
    let tree = app.accessibility_tree().await;
    let kept = hik_e2e::artifacts().join(format!("screen-reader-{screen}.txt"));
    std::fs::write(kept, dump(&tree)).unwrap();
    assert_eq!(
        unnamed_controls(&tree),
        Vec::<String>::new(),
        "controls without a name"
    );
    tree
}

#[tokio::test(flavor = "multi_thread")]
async fn login_and_verify_read_as_a_screen_reader_reads_them() {
    let cloud = Cloud::start().await;
    cloud.account("orca@example.com").await;
    let install = Install::new();
    let app = App::launch_with("screen-reader", cloud.url(), &install, SCREEN_READER).await;
    app.wait_screen("login").await;

    let tree = heard(&app, "login").await;
    find(&tree, "document web", "Hik-Connect Simulator");
    find(&tree, "heading", "Log in");
    find(&tree, "entry", "Email or phone number");
    find(&tree, "password text", "Password");
    find(&tree, "push button", "Log in");
    find(&tree, "combo box", "Language");

    log_in_through_ui(&app, "orca@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    app.wait_enabled("verify-code", true, Duration::from_secs(10))
        .await;
    app.fill("verify-code", "000000").await;
    app.click("verify-submit").await;
    app.wait_visible("error-message", true).await;
    let tree = heard(&app, "verify").await;
    find(&tree, "heading", "Verify this computer");
    let code = find(&tree, "entry", "Verification code");
    assert!(
        code.description.contains("Type or paste it"),
        "the code field's hint is its description: {code:?}"
    );
    // The wrong code is said in an alert, and that the code went, in the
    // status the app speaks through.
    let alert = tree
        .iter()
        .find(|n| n.role == "notification" && n.text.contains("incorrect"))
        .unwrap_or_else(|| panic!("no alert saying the code is incorrect:\n{}", dump(&tree)));
    assert!(alert.text.contains("4 tries left"), "{alert:?}");
    assert!(
        tree.iter()
            .any(|n| n.role == "status bar" && n.text.contains("Code sent to")),
        "the code sent is in a status:\n{}",
        dump(&tree)
    );
    app.quit().await;
}

/// What the live regions said, each line once: fails when a line is said
/// twice or an expected one is missing.
fn said_once(heard: &[String], part: &str) {
    let times = heard.iter().filter(|h| h.contains(part)).count();
    assert_eq!(times, 1, "{part:?} said {times} times; heard {heard:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_sent_a_wrong_code_the_captcha_and_a_lock_are_said_once() {
    let cloud = Cloud::start().await;
    cloud.account("lou@example.com").await;
    let locked = cloud.qa().scenario("account-locked", None).await;
    let captcha = cloud.qa().scenario("captcha-required", None).await;
    let app = App::launch("said-once", &cloud, &Install::new()).await;

    log_in_through_ui(&app, "lou@example.com").await;
    app.wait_screen("verify").await;
    app.listen().await;
    app.click("verify-send").await;
    app.wait_enabled("verify-code", true, Duration::from_secs(10))
        .await;
    app.wait_announced("Code sent to").await;
    app.fill("verify-code", "000000").await;
    app.click("verify-submit").await;
    app.wait_visible("error-message", true).await;
    // The countdown to the resend ticks on screen, unsaid.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let heard = app.heard().await;
    said_once(&heard, "Code sent to lo***@example.com");
    said_once(&heard, "incorrect");
    assert_eq!(heard.len(), 2, "nothing else is said: {heard:#?}");
    app.click("verify-cancel").await;

    app.wait_screen("login").await;
    app.listen().await;
    hik_e2e::log_in_with(&app, &captcha.account, captcha.password.as_deref().unwrap()).await;
    app.wait_visible("login-captcha-box", true).await;
    app.click("login-captcha-send").await;
    app.wait_visible("login-captcha-sent", true).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let heard = app.heard().await;
    said_once(&heard, "We sent the characters");
    app.listen().await;
    hik_e2e::log_in_with(&app, &locked.account, locked.password.as_deref().unwrap()).await;
    app.wait_visible("login-lock", true).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let heard = app.heard().await;
    said_once(&heard, "locked");
    assert_eq!(
        heard.len(),
        1,
        "the lock's countdown is not read out: {heard:#?}"
    );

    app.quit().await;
}
