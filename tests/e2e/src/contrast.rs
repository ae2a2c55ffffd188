//! What axe does not measure: the edges of controls against what is behind
//! them (WCAG 1.4.11, 3:1), the focus ring's colour against the page (3:1),
//! disabled controls still legible (4.5:1, beyond WCAG's exemption), and
//! the high-contrast rules: WebKitGTK has no forced-colours mode, so the
//! stylesheet's `forced-colors` rules are switched on through the CSS object
//! model and every control must then still have an edge.

use crate::App;

const COLOURS: &str = r#"
const parse = (c) => {
  const m = /rgba?\(([^)]+)\)/.exec(c || '');
  if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
  return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
};
const blend = (top, under) => ({
  r: top.r * top.a + under.r * (1 - top.a),
  g: top.g * top.a + under.g * (1 - top.a),
  b: top.b * top.a + under.b * (1 - top.a),
  a: 1,
});
const lum = ({ r, g, b }) => {
  const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const ratio = (x, y) => {
  const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
};
/** The colour painted under `el`: its ancestors' backgrounds, blended. */
const behind = (el) => {
  const layers = [];
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = parse(getComputedStyle(p).backgroundColor);
    if (c && c.a > 0) {
      layers.push(c);
      if (c.a >= 1) break;
    }
  }
  return layers.reverse().reduce((under, top) => blend(top, under), { r: 255, g: 255, b: 255, a: 1 });
};
const shown = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.sr-only');
};
const name = (el) => el.dataset.testid || `${el.tagName.toLowerCase()}.${el.className}`;
const edged = (s) => s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) >= 1;
const controls = () =>
  Array.from(document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=hidden]), select, button')).filter(shown);
"#;

const CHECK: &str = r#"
const problems = [];
const accent = parse(getComputedStyle(document.documentElement).getPropertyValue('--accent').trim().replace(/^#(..)(..)(..)$/, (_, r, g, b) => `rgb(${parseInt(r, 16)}, ${parseInt(g, 16)}, ${parseInt(b, 16)})`));
for (const el of controls()) {
  const s = getComputedStyle(el);
  const under = behind(el);
  const own = parse(s.backgroundColor);
  const fill = own && own.a > 0 ? blend(own, under) : under;
  if (el.disabled) {
    const text = blend(parse(s.color), fill);
    if (ratio(text, fill) < 4.5) problems.push(`${name(el)}: disabled text ${ratio(text, fill).toFixed(2)}:1`);
    continue;
  }
  if (accent && ratio(accent, under) < 3) problems.push(`${name(el)}: focus ring ${ratio(accent, under).toFixed(2)}:1`);
  // A control known by its text alone (a link, a device row) has no edge to measure.
  if (!edged(s) && !(own && own.a > 0)) continue;
  const border = edged(s) ? blend(parse(s.borderTopColor), under) : fill;
  const edge = Math.max(ratio(border, under), ratio(fill, under));
  if (edge < 3) problems.push(`${name(el)}: edge ${edge.toFixed(2)}:1 against what is behind it`);
}
return problems;
"#;

const FORCED: &str = r#"
const switched = [];
for (const sheet of document.styleSheets) {
  for (const rule of sheet.cssRules) {
    if (rule instanceof CSSMediaRule && rule.media.mediaText.includes('forced-colors')) {
      switched.push([rule, rule.media.mediaText]);
      rule.media.mediaText = 'all';
    }
  }
}
const problems = switched.length ? [] : ['the stylesheet has no forced-colors rules'];
// A disabled control needs no edge (WCAG 1.4.11 leaves inactive ones out).
for (const el of controls().filter((c) => !c.disabled)) {
  const s = getComputedStyle(el);
  const link = el.classList.contains('link') && s.textDecorationLine.includes('underline');
  if (!edged(s) && !link) problems.push(`${name(el)}: no edge in high contrast`);
}
for (const [rule, text] of switched) rule.media.mediaText = text;
return problems;
"#;

impl App {
    /// Controls whose edge, focus ring or disabled text is too faint.
    pub async fn contrast_problems(&self) -> Vec<String> {
        self.strings(&format!("{COLOURS}{CHECK}")).await
    }

    /// Controls without an edge once the high-contrast rules apply.
    pub async fn forced_colors_problems(&self) -> Vec<String> {
        self.strings(&format!("{COLOURS}{FORCED}")).await
    }

    async fn strings(&self, js: &str) -> Vec<String> {
        let v = self.execute(js).await;
        v.as_array()
            .unwrap_or_else(|| panic!("the check answered {v}"))
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    }
}
