//! Reflow, zoom and text spacing (WCAG 1.4.10, 1.4.4 and 1.4.12): every
//! screen the walks reach, in a window 320 CSS pixels wide, and at its usual
//! size with text at 200% or with the text spacing a reader may set, shows
//! all its content without cutting any off and without a page that scrolls
//! sideways.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use hik_e2e::walks::{self, Look, Setting};
use hik_e2e::App;
use std::time::Duration;

/// The narrowest window WCAG asks content to reflow into.
const NARROW: u32 = 320;

/// WCAG 1.4.12's text spacing, as a reader's style sheet sets it (through
/// the CSS object model: the app's content security policy refuses a
/// `<style>` element, as it should).
const SPACING: &str = "const sheet = document.styleSheets[0]; \
    sheet.insertRule('* { line-height: 1.5 !important; letter-spacing: .12em !important; \
    word-spacing: .16em !important; }', sheet.cssRules.length); \
    sheet.insertRule('p { margin-block-end: 2em !important; }', sheet.cssRules.length);";

/// Takes the two rules of `SPACING` out again.
const UNSPACE: &str = "const sheet = document.styleSheets[0]; \
    sheet.deleteRule(sheet.cssRules.length - 1); sheet.deleteRule(sheet.cssRules.length - 1);";

#[derive(Default)]
struct Reflow {
    problems: Vec<String>,
}

impl Reflow {
    async fn check(&mut self, app: &mut App, step: &str) {
        // Let the layout settle before it is read.
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.shot(step).await;
        let overflow = app.overflow().await;
        if !overflow.is_empty() {
            self.problems.push(format!("{step}: {overflow:?}"));
        }
    }
}

impl Look for Reflow {
    async fn at(&mut self, app: &mut App, step: &str) {
        let (_, _, width, height) = app.client.get_window_rect().await.unwrap();
        app.client
            .set_window_size(NARROW, height as u32)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (inner, _) = app.viewport().await;
        assert!(
            inner <= u64::from(NARROW),
            "{step}: the window would not narrow to {NARROW} px (it stays {inner} px wide)"
        );
        self.check(app, &format!("{step}-320px")).await;
        app.client
            .set_window_size(width as u32, height as u32)
            .await
            .unwrap();
        app.execute(
            "const root = document.documentElement; \
             root.style.fontSize = `${parseFloat(getComputedStyle(root).fontSize) * 2}px`;",
        )
        .await;
        self.check(app, &format!("{step}-200pct")).await;
        app.execute("document.documentElement.style.fontSize = '';")
            .await;
        app.execute(SPACING).await;
        self.check(app, &format!("{step}-spacing")).await;
        app.execute(UNSPACE).await;
    }
}

async fn reflow(walk: bool) {
    let mut look = Reflow::default();
    if walk {
        walks::the_whole_walk(&Setting::new("reflow", "en"), &mut look).await;
    } else {
        walks::every_other_screen(&Setting::new("reflow-tour", "en"), &mut look).await;
    }
    assert!(
        look.problems.is_empty(),
        "content cut off or scrolling sideways:\n{}",
        look.problems.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_walk_reflows_at_320_pixels_and_200_percent_text() {
    reflow(true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_other_screen_reflows_at_320_pixels_and_200_percent_text() {
    reflow(false).await;
}
