//! What a Linux screen reader hears: the window's accessibility tree read
//! over AT-SPI (`scripts/atspi-tree`, Debian's pyatspi), as Orca reads it.
//! The app must be launched with its accessibility bridge on
//! ([`SCREEN_READER`]); test sessions turn it off for everyone else.

use crate::{workspace, App};
use std::path::Path;

/// The environment that turns the app's accessibility bridge back on.
pub const SCREEN_READER: &[(&str, &str)] = &[("NO_AT_BRIDGE", "0")];

/// One node of the tree, as AT-SPI gives it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Node {
    pub depth: usize,
    pub role: String,
    pub name: String,
    pub description: String,
    pub states: Vec<String>,
    /// What it reads out of a paragraph, an alert or a field.
    pub text: String,
}

/// The process below tauri-driver (`driver`) that runs `binary`.
pub fn app_process(driver: u32, binary: &Path) -> Option<u32> {
    let binary = std::fs::canonicalize(binary).ok()?;
    crate::descendants(driver)
        .into_iter()
        .find(|p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|e| e == binary))
}

impl App {
    /// The window's accessibility tree now, depth-first.
    pub async fn accessibility_tree(&self) -> Vec<Node> {
        let binary = crate::app_binary();
        let pid = app_process(self.driver.id(), &binary)
            .unwrap_or_else(|| panic!("no process of {} below tauri-driver", binary.display()));
        let script = workspace().join("scripts/atspi-tree");
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(script)
                .arg(pid.to_string())
                .output()
        })
        .await
        .unwrap()
        .expect("scripts/atspi-tree runs (python3-pyatspi is installed)");
        assert!(
            out.status.success(),
            "scripts/atspi-tree: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a node as JSON"))
            .collect()
    }
}
