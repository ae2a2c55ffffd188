// The app's words: every text on screen is a message of the catalogue
// (messages/en.json is the source; a key missing there does not compile),
// formatted for the app's language with ICU plurals. The language is chosen in
// Rust (flag, saved choice, OS) and handed to the page before its first paint;
// only its catalogue is loaded, its messages parsed at build time.
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { LOAD, NAMES } from 'virtual:catalogues';
import type en from './messages/en.json';

/** A language the app speaks, by its tag: a catalogue of messages/ (`en`,
 * `zh-CN`), or a pseudo-locale (`en-XA`, `ar-XB`). */
export type Language = string;
export type MessageKey = keyof typeof en;
type Value = string | number;

const PSEUDO = ['en-XA', 'ar-XB'];

/** Whether `tag` is one of the pseudo-locales (named in English). */
export function isPseudo(tag: Language): boolean {
  return PSEUDO.includes(tag);
}

/** Every language the app speaks, in the picker's order: English, the other
 * catalogues, then the pseudo-locales. */
export const LANGUAGES: readonly Language[] = Object.keys(NAMES).sort(
  (a, b) => rank(a) - rank(b) || a.localeCompare(b),
);

function rank(tag: Language): number {
  return tag === 'en' ? 0 : isPseudo(tag) ? 2 : 1;
}

/** A language by its own name, as its catalogue writes it (the
 * pseudo-locales by their tags). */
export function languageName(tag: Language): string {
  return isPseudo(tag) ? `${tag} (pseudo)` : (NAMES[tag] ?? tag);
}

let current: Language = 'en';
/** Its direction, worked out once per language (clocks ask every second). */
let currentDirection: 'ltr' | 'rtl' = 'ltr';
let messages: Record<string, string | MessageFormatElement[]> = {};
let formats = new Map<string, IntlMessageFormat>();
/** The latest language asked for: an older request that loads later loses. */
let asked = 0;

/** The locale `Intl` formats numbers, dates and lists in: a pseudo-locale
 * formats as the language it stands for. */
export function intlLocale(lang: Language = current): string {
  if (lang === 'en-XA') return 'en';
  if (lang === 'ar-XB') return 'ar';
  return lang;
}

/** Right to left for ar-XB and for a language written so (Intl's text
 * info, where the webview has it). */
function directionOf(lang: Language): 'ltr' | 'rtl' {
  if (lang === 'ar-XB') return 'rtl';
  try {
    const locale = new Intl.Locale(lang) as Intl.Locale & {
      getTextInfo?: () => { direction?: string };
      textInfo?: { direction?: string };
    };
    const info = locale.getTextInfo?.() ?? locale.textInfo;
    return info?.direction === 'rtl' ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}

/** Speak `lang` from now on, once its catalogue has loaded (an unknown tag
 * speaks English); the document says so (`lang`, `dir`). */
export async function setLanguage(lang: Language): Promise<void> {
  const tag = LANGUAGES.includes(lang) ? lang : 'en';
  const ticket = ++asked;
  const loaded = (await LOAD[tag]?.())?.default;
  if (ticket !== asked || !loaded) return;
  messages = loaded;
  current = tag;
  currentDirection = directionOf(current);
  formats = new Map();
  if (typeof document !== 'undefined') {
    document.documentElement.lang = current;
    document.documentElement.dir = currentDirection;
  }
}

/** The message `key`: its text when it is only text, else its formatter
 * (the build checked that every catalogue has every key). */
function message(key: MessageKey): string | IntlMessageFormat {
  const compiled = messages[key] ?? key;
  if (typeof compiled === 'string') return compiled;
  let f = formats.get(key);
  if (!f) {
    f = new IntlMessageFormat(compiled, intlLocale());
    formats.set(key, f);
  }
  return f;
}

/** The message `key` in the app's language. */
export function t(key: MessageKey, values?: Record<string, Value>): string {
  const m = message(key);
  return typeof m === 'string' ? m : String(m.format(values));
}

/** The message `key` with nodes in it (a contact in bold, a link): its parts
 * in order, for `h(...)` or `append`. */
export function tn(key: MessageKey, values: Record<string, Value | Node>): (string | Node)[] {
  const m = message(key);
  if (typeof m === 'string') return [m];
  const out = m.format<Node>(values);
  return (Array.isArray(out) ? out : [out]).map((p) => (typeof p === 'object' ? p : String(p)));
}

/** Text that must read left to right inside any language (an address, a
 * phone number, a code, a clock): isolated from right-to-left text around it. */
export function ltr(text: string): string {
  return currentDirection === 'rtl' ? `\u2066${text}\u2069` : text;
}
