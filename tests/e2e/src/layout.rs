//! Whether what the window shows fits it: no element whose text runs past
//! its box, no page that scrolls sideways. Used at every screen of the walks,
//! in every language (a translation 40% longer) and at 320 CSS pixels and
//! 200% text (WCAG 1.4.4 and 1.4.10).

use crate::App;

/// The elements whose content runs past their box, and whether the page
/// scrolls sideways.
const OVERFLOW: &str = r#"
const shown = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
};
const overflow = [];
for (const el of document.body.querySelectorAll('*')) {
  if (!shown(el) || el.closest('.sr-only')) continue;
  const s = getComputedStyle(el);
  if (s.display === 'inline' || s.overflowX === 'auto' || s.overflowX === 'scroll') continue;
  // A field scrolls what was typed into it; its placeholder must fit.
  if ((el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && el.value) continue;
  if (el.scrollWidth > el.clientWidth + 1) {
    overflow.push(`${el.dataset.testid || el.tagName.toLowerCase() + '.' + el.className} ${el.scrollWidth} > ${el.clientWidth}`);
  }
}
if (document.documentElement.scrollWidth > window.innerWidth + 1) {
  overflow.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
}
return overflow;
"#;

impl App {
    /// What does not fit on the screen shown now (empty when all fits).
    pub async fn overflow(&self) -> Vec<String> {
        let found = self.execute(OVERFLOW).await;
        serde_json::from_value(found).expect("a list of elements")
    }

    /// The window's inner size, in CSS pixels.
    pub async fn viewport(&self) -> (u64, u64) {
        let size = self
            .execute("return [window.innerWidth, window.innerHeight];")
            .await;
        (size[0].as_u64().unwrap_or(0), size[1].as_u64().unwrap_or(0))
    }
}
