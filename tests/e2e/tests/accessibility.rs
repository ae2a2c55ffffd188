//! Accessibility, as a team with axe-core would check it: every screen and
//! state the walks reach (sign-up in both steps, login, a new computer's
//! code with its wrong-code ladder, a dead code and a resend, captcha, lock,
//! forgotten password, a full account's terminals, devices and cameras,
//! account security, the QA drawer), in the light and the dark theme, with
//! the rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA and axe's best
//! practices. The bar is zero violations of any impact.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use hik_e2e::axe::Violation;
use hik_e2e::walks::{self, Look, Setting};
use hik_e2e::App;
use std::time::Duration;

/// What axe found on each screen, in order.
struct Audit {
    theme: &'static str,
    screens: Vec<(String, Vec<Violation>)>,
}

impl Look for Audit {
    async fn at(&mut self, app: &mut App, step: &str) {
        // Let the screen settle (a transition, a label that changes on focus).
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.shot(step).await;
        let found = app.axe().await;
        let nodes: usize = found.iter().map(|v| v.nodes.len()).sum();
        eprintln!(
            "axe, {} theme, {step}: {} rules broken, {nodes} elements",
            self.theme,
            found.len()
        );
        self.screens.push((step.to_owned(), found));
    }
}

impl Audit {
    fn assert_clean(&self) {
        let broken: Vec<String> = self
            .screens
            .iter()
            .filter(|(_, found)| !found.is_empty())
            .map(|(step, found)| {
                let rules: String = found.iter().map(|v| format!("  {v}")).collect();
                format!("{step}:\n{rules}")
            })
            .collect();
        assert!(
            broken.is_empty(),
            "axe found violations in the {} theme:\n{}",
            self.theme,
            broken.join("\n")
        );
    }
}

async fn audit(theme: &'static str) {
    let mut audit = Audit {
        theme,
        screens: Vec::new(),
    };
    let walk = Setting::new(&format!("a11y-{theme}"), "en").themed(theme);
    walks::the_whole_walk(&walk, &mut audit).await;
    let tour = Setting::new(&format!("a11y-tour-{theme}"), "en").themed(theme);
    walks::every_other_screen(&tour, &mut audit).await;
    assert!(audit.screens.len() >= 18, "the walks reached every screen");
    audit.assert_clean();
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_has_no_axe_violations_in_the_light_theme() {
    audit("light").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_has_no_axe_violations_in_the_dark_theme() {
    audit("dark").await;
}
