//! The keyboard alone: press a key, Tab to a control (checking on the way
//! that each control the focus lands on shows its focus ring), and where
//! the focus is.

use crate::App;
use fantoccini::key::Key;
use std::time::{Duration, Instant};

/// Whether the focused element shows a ring a sighted keyboard user sees:
/// an outline at least 2 px wide, and what it is (for messages).
const FOCUS: &str = r#"
const el = document.activeElement;
if (!el || el === document.body) return { where: 'nothing', ring: false };
const s = getComputedStyle(el);
const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
const where = el.dataset.testid || `${el.tagName.toLowerCase()} "${(el.textContent || '').trim().slice(0, 40)}"`;
return { where, ring, testid: el.dataset.testid || '', tag: el.tagName.toLowerCase() };
"#;

/// Where the keyboard focus is.
#[derive(Debug, Clone)]
pub struct Focus {
    /// The testid, or the tag and text of an element without one.
    pub where_: String,
    pub ring: bool,
    pub testid: String,
    pub tag: String,
}

impl App {
    /// Press one key (Tab, Enter, Escape, Space...) where the focus is.
    pub async fn press(&self, key: Key) {
        self.type_keys(&char::from(key).to_string()).await;
    }

    /// Shift+Tab.
    pub async fn press_back(&self) {
        self.type_keys(&format!(
            "{}{}",
            char::from(Key::Shift),
            char::from(Key::Tab)
        ))
        .await;
    }

    /// Ctrl+Shift+Q: the QA drawer opens, or closes.
    pub async fn toggle_qa_drawer_by_keys(&self) {
        self.type_keys(&format!(
            "{}{}q",
            char::from(Key::Control),
            char::from(Key::Shift)
        ))
        .await;
    }

    /// Where the focus is, and whether it shows its ring.
    pub async fn focus(&self) -> Focus {
        let v = self.execute(FOCUS).await;
        Focus {
            where_: v["where"].as_str().unwrap_or_default().to_owned(),
            ring: v["ring"].as_bool().unwrap_or(false),
            testid: v["testid"].as_str().unwrap_or_default().to_owned(),
            tag: v["tag"].as_str().unwrap_or_default().to_owned(),
        }
    }

    /// Press Tab until the control `testid` has the focus (at most 60
    /// times), checking that every control passed shows its focus ring.
    pub async fn tab_to(&self, testid: &str) {
        let mut passed = Vec::new();
        for _ in 0..60 {
            let at = self.focus().await;
            if at.testid == testid {
                assert!(at.ring, "{testid} has the focus but shows no ring");
                return;
            }
            if at.where_ != "nothing" {
                assert!(at.ring, "{} has the focus but shows no ring", at.where_);
            }
            passed.push(at.where_);
            self.press(Key::Tab).await;
        }
        panic!("Tab never reached {testid}; it went through {passed:?}");
    }

    /// Tab to `testid` and press Enter on it.
    pub async fn activate(&self, testid: &str) {
        self.tab_to(testid).await;
        self.press(Key::Enter).await;
    }

    /// Wait until the focus is on `testid` (a screen or a step moved it there).
    pub async fn wait_focus(&self, testid: &str) {
        self.wait_focus_on(testid, |at| at.testid == testid).await;
    }

    /// Wait until the focus is on the screen's heading (a screen without a
    /// field to start in), and return its text.
    pub async fn wait_focus_heading(&self) -> String {
        let at = self
            .wait_focus_on("a heading", |at| at.tag == "h1" || at.tag == "h2")
            .await;
        at.where_
    }

    /// Wait until the focus is where `hit` says (`what`, for the message).
    async fn wait_focus_on(&self, what: &str, hit: impl Fn(&Focus) -> bool) -> Focus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let at = self.focus().await;
            if hit(&at) {
                return at;
            }
            assert!(
                Instant::now() < deadline,
                "the focus never came to {what}; it is on {}",
                at.where_
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
