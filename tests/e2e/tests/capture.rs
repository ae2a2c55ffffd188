//! Screenshots of a window another window covers. On a display with no
//! window manager every window opens at the same place, and WebKitGTK's
//! WebDriver screenshot waits for the covered one to paint, which it does
//! not do (README, "Write your own WebDriver suite", pitfalls).
//! `scripts/capture-window` raises the app's window, found by its data
//! folder, and reads it from the display; raised, the window answers
//! WebDriver's screenshot too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_e2e::{App, Cloud, Install};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

/// How far apart two pictures are, 0 (the same) to 1 (ImageMagick's
/// normalised root mean square error).
fn rmse(a: &Path, b: &Path) -> f64 {
    let out = Command::new("compare")
        .args(["-metric", "RMSE"])
        .arg(a)
        .arg(b)
        .arg("null:")
        .output()
        .expect("ImageMagick's compare is installed");
    // It prints "absolute (normalised)" on standard error.
    let said = String::from_utf8_lossy(&out.stderr);
    said.split(['(', ')'])
        .nth(1)
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("compare said {said:?}"))
}

fn capture_window() -> PathBuf {
    hik_e2e::workspace().join("scripts/capture-window")
}

fn capture(out: &Path, install: &Install) {
    let status = Command::new(capture_window())
        .arg(out)
        .arg(install.data.path())
        .status()
        .expect("scripts/capture-window runs");
    assert!(status.success(), "capture-window failed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_covered_window_is_raised_and_captured() {
    let cloud = Cloud::start().await;
    let (first, second) = (Install::new(), Install::new());
    let below = App::launch("capture-below", &cloud, &first).await;
    below.click("nav-signup").await;
    below.wait_screen("signup").await;
    // The second install opens on top of the first, at the same place.
    let above = App::launch("capture-above", &cloud, &second).await;
    above.wait_screen("login").await;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("below.png");
    capture(&out, &first);
    let picture = std::fs::read(&out).unwrap();
    let rect = below.client.get_window_rect().await.unwrap();
    assert_eq!(
        png_size(&picture),
        (rect.2 as u32, rect.3 as u32),
        "the window, not the display"
    );

    // Raised, the first window answers WebDriver's own screenshot.
    let shot = tokio::time::timeout(Duration::from_secs(15), below.client.screenshot())
        .await
        .expect("the raised window's screenshot answers")
        .unwrap();
    assert_eq!(png_size(&shot), png_size(&picture));
    // The same picture both ways: the first install's window (its sign-up
    // screen), not the login screen of the window that covered it.
    let shot_file = dir.path().join("shot.png");
    std::fs::write(&shot_file, &shot).unwrap();
    let difference = rmse(&out, &shot_file);
    eprintln!("capture against WebDriver's screenshot: RMSE {difference}");
    let above_file = dir.path().join("above.png");
    capture(&above_file, &second);
    let other = rmse(&out, &above_file);
    eprintln!("capture against the other window: RMSE {other}");
    assert!(difference < 0.01 && other > 0.05, "{difference} {other}");

    above.quit().await;
    below.quit().await;
}
