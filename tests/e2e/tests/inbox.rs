//! The QA inbox page in headless Chromium: it lists the messages with their
//! codes, filters by address, and refreshes by itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fantoccini::Locator;
use hik_e2e::Cloud;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Chromedriver(std::process::Child);

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn chromium() -> (fantoccini::Client, Chromedriver, tempfile::TempDir) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Chromedriver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver) is installed"),
    );
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1000,760",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match hik_e2e::webdriver()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return (c, driver, profile),
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no Chromium session: {e}"),
        }
    }
}

/// The codes on the page. The page re-renders every 2 s, which can replace an
/// element between finding and reading it: then the whole list is read again.
async fn codes_shown(browser: &fantoccini::Client) -> Vec<String> {
    'again: for _ in 0..20 {
        let mut out = Vec::new();
        for e in browser
            .find_all(Locator::Css("[data-testid='inbox-code']"))
            .await
            .unwrap()
        {
            match e.text().await {
                Ok(t) => out.push(t),
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue 'again;
                }
            }
        }
        return out;
    }
    panic!("the inbox kept re-rendering under the reader");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_inbox_shows_codes_filters_and_refreshes_by_itself() {
    let cloud = Cloud::start().await;
    cloud.account("ana@example.com").await;
    cloud.account("bo@example.com").await;
    let first = cloud
        .qa()
        .latest_code("ana@example.com", "USER_REGISTRATION")
        .await;

    let (browser, _driver, _profile) = chromium().await;
    browser
        .goto(&format!("{}/qa/inbox", cloud.url()))
        .await
        .unwrap();
    assert!(browser.title().await.unwrap().contains("QA inbox"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !codes_shown(&browser).await.contains(&first) {
        assert!(Instant::now() < deadline, "the inbox never showed {first}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Filter by address.
    let filter = browser
        .find(Locator::Css("[data-testid='inbox-filter']"))
        .await
        .unwrap();
    filter.send_keys("bo@example.com").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = codes_shown(&browser).await;
        if shown.len() == 1 && !shown.contains(&first) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the filter never applied: {shown:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A new message appears without reloading the page.
    filter.clear().await.unwrap();
    cloud.qa().advance_clock(61).await;
    let sent = cloud.send_code("ana@example.com", "TERMINAL_BIND").await;
    assert_eq!(sent.code(), hik_e2e::ResultCode::Success, "{}", sent.json);
    let fresh = cloud
        .qa()
        .latest_code("ana@example.com", "TERMINAL_BIND")
        .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !codes_shown(&browser).await.contains(&fresh) {
        assert!(
            Instant::now() < deadline,
            "the inbox never refreshed to show {fresh}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // The page as a person sees it (docs/screenshots/qa-inbox.png).
    let picture = browser.screenshot().await.unwrap();
    std::fs::write(hik_e2e::artifacts().join("inbox-01-qa-inbox.png"), picture).unwrap();
    browser.close().await.unwrap();
}
