//! What the live regions say, as a screen reader is told it: every change
//! of a region's text (an `aria-live` region that is not off, an alert, a
//! status), once per change, in order. A region shown or filled counts; a
//! screen drawn with regions already filled does not (screen readers read
//! those as part of the screen, not as news).

use crate::App;

const LISTEN: &str = r#"
window.__heard = [];
if (window.__listener) window.__listener.disconnect();
const live = '[aria-live]:not([aria-live="off"]), [role="alert"], [role="status"]';
const visible = (el) => !el.closest('[hidden]');
window.__listener = new MutationObserver((changes) => {
  const regions = new Set();
  for (const c of changes) {
    const el = c.target.nodeType === 1 ? c.target : c.target.parentElement;
    const region = el && el.closest(live);
    if (region) regions.add(region);
  }
  for (const r of regions) {
    const text = r.textContent.replace(/\s+/g, ' ').trim();
    if (text && visible(r)) window.__heard.push(text);
  }
});
window.__listener.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden'] });
return true;
"#;

impl App {
    /// Start listening to the live regions (again: what was heard is dropped).
    pub async fn listen(&self) {
        self.execute(LISTEN).await;
    }

    /// What the live regions said since `listen` or the last call, in order.
    pub async fn heard(&self) -> Vec<String> {
        let v = self
            .execute("const h = window.__heard || []; window.__heard = []; return h;")
            .await;
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}
