//! The app against a cloud served over HTTPS by a local CA: trusted with
//! --cloud-ca, it logs in from a new terminal with the code; without it, the
//! window says the certificate is not trusted (not that the cloud is away).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{app_binary, log_in_through_ui, App, Cloud, Install};

fn args(cloud: &Cloud, install: &Install, ca: Option<&std::path::Path>) -> Vec<String> {
    let mut args = vec!["--cloud-url".to_owned(), cloud.url().to_owned()];
    args.extend(install.args());
    if let Some(ca) = ca {
        args.extend(["--cloud-ca".to_owned(), ca.display().to_string()]);
    }
    args
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_clouds_ca_a_new_terminal_logs_in_with_the_code() {
    let cloud = Cloud::builder().https().start().await;
    assert!(cloud.url().starts_with("https://"));
    cloud.account("tls@example.com").await;
    let install = Install::new();
    let mut app = App::launch_binary(
        "https-trusted",
        &app_binary(),
        &args(&cloud, &install, Some(cloud.ca().unwrap())),
        &[],
    )
    .await;
    log_in_through_ui(&app, "tls@example.com").await;
    app.wait_screen("verify").await;
    app.click("verify-send").await;
    let code = cloud
        .qa()
        .latest_code("tls@example.com", "TERMINAL_BIND")
        .await;
    app.fill("verify-code", &code).await;
    app.click("verify-submit").await;
    app.wait_screen("home").await;
    app.shot("https-home").await;
    assert_eq!(app.text("home-user").await, "tls@example.com");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_ca_the_window_names_the_certificate() {
    let cloud = Cloud::builder().https().start().await;
    cloud.account("untrusted@example.com").await;
    let install = Install::new();
    let mut app = App::launch_binary(
        "https-untrusted",
        &app_binary(),
        &args(&cloud, &install, None),
        &[],
    )
    .await;
    log_in_through_ui(&app, "untrusted@example.com").await;
    app.wait_visible("cloud-banner", true).await;
    let banner = app.text("cloud-banner").await;
    assert!(
        banner.contains("does not trust") && banner.contains("--cloud-ca"),
        "{banner}"
    );
    assert!(!banner.contains("cannot be reached"), "{banner}");
    assert_eq!(app.screen().await, "login", "nothing moved on");
    assert_eq!(
        app.prop("login-account", "value").await,
        "untrusted@example.com"
    );
    app.shot("https-untrusted").await;
    app.quit().await;
}
