// The message catalogues at build time: each translation checked against the
// English source (same keys, same placeholders, every message valid ICU), and
// the two pseudo-locales made from English. Runs in Vite (the build fails on
// a problem) and in the tests; never in the window.
import {
  parse,
  TYPE,
  type MessageFormatElement,
  type PluralOrSelectOption,
} from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';

export type Catalogue = Record<string, string>;

/** The placeholders a message uses, with their kinds ("count:plural"), sorted. */
export function placeholders(message: string): string[] {
  const found = new Set<string>();
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      switch (el.type) {
        case TYPE.argument:
          found.add(el.value);
          break;
        case TYPE.number:
        case TYPE.date:
        case TYPE.time:
          found.add(`${el.value}:${TYPE[el.type]}`);
          break;
        case TYPE.plural:
        case TYPE.select:
          found.add(`${el.value}:${TYPE[el.type]}`);
          for (const o of Object.values(el.options) as PluralOrSelectOption[]) walk(o.value);
          break;
        case TYPE.tag:
          found.add(`<${el.value}>`);
          walk(el.children);
          break;
        default:
          break;
      }
    }
  };
  walk(parse(message));
  return [...found].sort();
}

/** What is wrong with `translation` beside `source`: one line per problem. */
export function problems(source: Catalogue, translation: Catalogue, lang: string): string[] {
  const out: string[] = [];
  for (const key of Object.keys(source)) {
    const t = translation[key];
    if (t == null) {
      out.push(`${lang}: "${key}" is missing`);
      continue;
    }
    try {
      const want = placeholders(source[key] ?? '').join(', ');
      const got = placeholders(t).join(', ');
      if (want !== got) out.push(`${lang}: "${key}" has placeholders [${got}], English has [${want}]`);
    } catch (e) {
      out.push(`${lang}: "${key}" is not a valid message: ${String(e)}`);
    }
  }
  for (const key of Object.keys(translation)) {
    if (!(key in source)) out.push(`${lang}: "${key}" is not in the English catalogue`);
  }
  return out;
}

// en-XA: every letter accented, vowels doubled (about 40% longer), and the
// message bracketed, so that a cut-off text and a word left in English show.
const ACCENTED: Record<string, string> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'î', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Å', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

function accent(text: string): string {
  return [...text].map((ch) => {
    const a = ACCENTED[ch];
    if (!a) return ch;
    return 'aeiouAEIOU'.includes(ch) ? a + a.toLowerCase() : a;
  }).join('');
}

// ar-XB: each word written right to left (RLO ... PDF), between right-to-left
// marks, so that the text runs as Arabic would and the layout mirrors.
const RLM = '\u200f';
const RLO = '\u202e';
const PDF = '\u202c';

function mirror(text: string): string {
  return text.replace(/[A-Za-z][A-Za-z'’-]*/g, (word) => `${RLM}${RLO}${word}${PDF}${RLM}`);
}

function mapLiterals(els: MessageFormatElement[], f: (s: string) => string): MessageFormatElement[] {
  return els.map((el) => {
    switch (el.type) {
      case TYPE.literal:
        return { ...el, value: f(el.value) };
      case TYPE.plural:
      case TYPE.select: {
        const options: Record<string, PluralOrSelectOption> = {};
        for (const [k, o] of Object.entries(el.options) as [string, PluralOrSelectOption][]) {
          options[k] = { ...o, value: mapLiterals(o.value, f) };
        }
        return { ...el, options };
      }
      case TYPE.tag:
        return { ...el, children: mapLiterals(el.children, f) };
      default:
        return el;
    }
  });
}

export type Pseudo = 'en-XA' | 'ar-XB';

/** The pseudo-locale `lang` of the English catalogue. */
export function pseudo(source: Catalogue, lang: Pseudo): Catalogue {
  const out: Catalogue = {};
  for (const [key, message] of Object.entries(source)) {
    const ast = mapLiterals(parse(message), lang === 'en-XA' ? accent : mirror);
    const text = printAST(ast);
    out[key] = lang === 'en-XA' ? `[${text}]` : text;
  }
  return out;
}
