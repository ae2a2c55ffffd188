// A tiny element builder: h('button', {testid: 'login-submit', onclick}, 'Log in'),
// and command-line flags set as code in a sentence. It imports nothing:
// every module that draws can use it.

type Attrs = Record<string, unknown> & { testid?: string };
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'testid') el.dataset.testid = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k in el && typeof v !== 'string') (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

/** `text` with each command-line flag it names (`--data-dir`) as code that
 * never breaks across lines. */
export function withFlags(text: string): (string | Node)[] {
  return text
    .split(/(--[a-z][a-z-]*)/)
    .filter(Boolean)
    .map((part) => (part.startsWith('--') ? h('code', { class: 'flag', dir: 'ltr' }, part) : part));
}
