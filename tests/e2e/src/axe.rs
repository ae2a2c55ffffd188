//! axe-core in the real window: the rules of WCAG 2.0, 2.1 and 2.2 at levels
//! A and AA and axe's best practices, run through WebDriver on whatever the
//! window shows, as a team with axe in its browser extension would.

use crate::{workspace, App};
use std::fmt;

/// The rule sets, by axe's tags.
pub const TAGS: &[&str] = &[
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "best-practice",
];

/// One rule broken, and where.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Violation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    /// Each element that breaks it, by CSS selector, with axe's summary.
    pub nodes: Vec<(String, String)>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let impact = self.impact.as_deref().unwrap_or("?");
        writeln!(f, "{} ({impact}): {}", self.id, self.help)?;
        for (target, summary) in &self.nodes {
            writeln!(f, "    {target}: {}", summary.replace('\n', " "))?;
        }
        Ok(())
    }
}

/// Runs axe on the document and hands back what it found, as plain data.
const RUN: &str = r#"
const [tags, done] = arguments;
axe
  .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
  .then((r) => done(JSON.stringify(r.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => [n.target.join(' '), n.failureSummary || '']),
  })))))
  .catch((e) => done(JSON.stringify({ error: String(e) })));
"#;

impl App {
    /// The accessibility violations of what the window shows now: axe-core
    /// from the UI's npm packages, injected once per page.
    pub async fn axe(&self) -> Vec<Violation> {
        let loaded = self.execute("return typeof window.axe === 'object';").await;
        if loaded != serde_json::Value::Bool(true) {
            let path = workspace().join("ui/node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (run `npm ci` in ui/)", path.display()));
            self.execute(&format!("{source}\nreturn true;")).await;
        }
        let tags = serde_json::to_value(TAGS).unwrap();
        let out = self
            .client
            .execute_async(RUN, vec![tags])
            .await
            .expect("axe ran");
        let text = out.as_str().expect("axe's answer is JSON text");
        match serde_json::from_str::<Vec<Violation>>(text) {
            Ok(v) => v,
            Err(_) => panic!("axe failed: {text}"),
        }
    }
}
