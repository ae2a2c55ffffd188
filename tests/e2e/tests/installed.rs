//! The installed package, as a person meets it: the command on the PATH, its
//! desktop entry and icons, and the app started from it on its embedded cloud,
//! logging in. `scripts/test-package` installs the .deb, runs this, and
//! removes the package; `scripts/test` leaves it out (it is ignored there).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{App, Install};
use std::path::{Path, PathBuf};

fn on_path(command: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(command))
        .find(|p| p.is_file())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the package installed: scripts/test-package"]
async fn the_installed_app_starts_from_the_path_and_logs_in() {
    let binary = on_path("hik-connect-sim").expect("hik-connect-sim is on the PATH");
    assert_eq!(binary, Path::new("/usr/bin/hik-connect-sim"));

    // The desktop entry a menu shows, and the icon it names at every size.
    let entry = std::fs::read_dir("/usr/share/applications")
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .find(|text| text.lines().any(|l| l.starts_with("Exec=hik-connect-sim")))
        .expect("a desktop entry that runs hik-connect-sim");
    for line in [
        "Name=Hik-Connect Simulator",
        "Icon=hik-connect-sim",
        "Categories=Development;",
        "Type=Application",
    ] {
        assert!(entry.lines().any(|l| l == line), "{line} in:\n{entry}");
    }
    for size in [16, 24, 32, 48, 64, 128, 256, 512] {
        let icon = format!("/usr/share/icons/hicolor/{size}x{size}/apps/hik-connect-sim.png");
        assert!(Path::new(&icon).is_file(), "{icon} is installed");
    }

    // Started as the menu starts it (no cloud address: the embedded cloud),
    // with a data folder and keyring namespace of this test's own.
    let install = Install::new();
    let mut app = App::launch_embedded("installed", &binary, &install).await;
    app.wait_screen("login").await;
    app.shot("login").await;
    let cloud = app.text("cloud-url").await;
    assert!(cloud.starts_with("http://127.0.0.1:"), "{cloud}");
    assert!(!app.is_visible("keyring-banner").await, "the keyring works");
    assert!(
        app.is_visible("qa-open").await,
        "the embedded cloud serves QA"
    );

    // An account on the embedded cloud (its QA surface needs the app's
    // token), then a login through the window.
    let (qa_base, token) = app.embedded_qa().await;
    assert_eq!(qa_base, cloud);
    let r = reqwest::Client::new()
        .post(format!("{cloud}/qa/accounts"))
        .header("X-Hik-Qa-Token", token)
        .json(&serde_json::json!({
            "account": "pat@example.com",
            "password": hik_e2e::PASSWORD,
            "areaId": 44,
            "twoStep": false,
        }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "HTTP {}", r.status());
    hik_e2e::log_in_through_ui(&app, "pat@example.com").await;
    app.wait_screen("home").await;
    assert_eq!(app.text("home-user").await, "pat@example.com");
    assert!(
        install.keyring_secret("featureCode").is_some(),
        "the installed app keeps its fingerprint in the keyring"
    );
    app.shot("home").await;
    app.quit().await;
}
