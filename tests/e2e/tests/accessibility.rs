//! Accessibility, as a team with axe-core would check it: every screen and
//! state the walks reach (sign-up in both steps, login, a new computer's
//! code with its wrong-code ladder, a dead code and a resend, captcha, lock,
//! forgotten password, a full account's terminals, devices and cameras,
//! account security, the QA drawer), in the light and the dark theme, with
//! the rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA and axe's best
//! practices. The bar is zero violations of any impact. On the same
//! screens, what axe leaves out: the edges of controls and the focus ring at
//! 3:1, disabled controls legible, and every control with an edge under the
//! high-contrast rules (`hik_e2e::contrast`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use hik_e2e::axe::Violation;
use hik_e2e::walks::{self, Look, Setting};
use hik_e2e::App;
use std::time::Duration;

/// What axe found on each screen, in order.
struct Audit {
    theme: &'static str,
    screens: Vec<(String, Vec<Violation>)>,
    /// What the contrast and high-contrast checks found, by screen.
    faint: Vec<String>,
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
        for problem in app.contrast_problems().await {
            self.faint.push(format!("{step}: {problem}"));
        }
        for problem in app.forced_colors_problems().await {
            self.faint.push(format!("{step}: {problem}"));
        }
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
        assert!(
            self.faint.is_empty(),
            "too faint in the {} theme:\n{}",
            self.theme,
            self.faint.join("\n")
        );
    }
}

async fn audit(theme: &'static str) {
    let mut audit = Audit {
        theme,
        screens: Vec::new(),
        faint: Vec::new(),
    };
    let walk = Setting::new(&format!("a11y-{theme}"), "en").themed(theme);
    walks::the_whole_walk(&walk, &mut audit).await;
    let tour = Setting::new(&format!("a11y-tour-{theme}"), "en").themed(theme);
    walks::every_other_screen(&tour, &mut audit).await;
    assert!(audit.screens.len() >= 24, "the walks reached every screen");
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

/// The banners of a start that went wrong: no keyring (the app cannot
/// remember this computer) and a data folder it cannot use.
#[tokio::test(flavor = "multi_thread")]
async fn the_start_up_banners_have_no_axe_violations() {
    let cloud = hik_e2e::Cloud::start().await;
    for theme in ["light", "dark"] {
        let mut audit = Audit {
            theme,
            screens: Vec::new(),
            faint: Vec::new(),
        };
        let install = hik_e2e::Install::new().themed(theme);
        let mut app = App::launch_with(
            &format!("a11y-banners-{theme}"),
            cloud.url(),
            &install,
            &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")],
        )
        .await;
        app.wait_visible("keyring-banner", true).await;
        audit.at(&mut app, "keyring-banner").await;
        app.quit().await;

        let env = [("GTK_THEME", hik_e2e::gtk_theme(theme))];
        let name = format!("a11y-start-error-{theme}");
        let (mut app, _, _dir) = App::launch_start_failing(&name, &cloud, &env).await;
        app.wait_visible("start-error", true).await;
        audit.at(&mut app, "start-error").await;
        app.quit().await;
        audit.assert_clean();
    }
}
