import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLiteralElement, parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { defineConfig, type Plugin } from 'vite';
import { problems, pseudo, type Catalogue } from './src/i18n/catalogue';

const MESSAGES = join(__dirname, 'src/i18n/messages');
const INDEX = 'virtual:catalogues';
const ONE = 'virtual:catalogue/';

/** A message as the page gets it: its text when it is only text, else its
 * ICU syntax tree, parsed here so that the page carries no parser. */
type Compiled = string | MessageFormatElement[];

/** The catalogues as modules: each translation in messages/ checked against
 * English (the build fails on a missing key or a placeholder that differs),
 * the pseudo-locales en-XA and ar-XB made from English, every message
 * compiled. `virtual:catalogues` names the languages and loads one on demand
 * (`virtual:catalogue/<tag>`, a chunk of its own), so the page holds only the
 * language it speaks. */
function catalogues(): Plugin {
  let cached: Record<string, Catalogue> | null = null;
  const all = (): Record<string, Catalogue> => {
    if (cached) return cached;
    const found: Record<string, Catalogue> = {};
    for (const file of readdirSync(MESSAGES).filter((f) => f.endsWith('.json'))) {
      found[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(MESSAGES, file), 'utf8')) as Catalogue;
    }
    const en = found.en;
    if (!en) throw new Error('src/i18n/messages/en.json is missing');
    const wrong = Object.entries(found).flatMap(([lang, c]) => (lang === 'en' ? [] : problems(en, c, lang)));
    if (wrong.length) throw new Error(`The message catalogues disagree with English:\n  ${wrong.join('\n  ')}`);
    found['en-XA'] = pseudo(en, 'en-XA');
    found['ar-XB'] = pseudo(en, 'ar-XB');
    cached = found;
    return found;
  };
  const compiled = (catalogue: Catalogue): Record<string, Compiled> =>
    Object.fromEntries(
      Object.entries(catalogue).map(([key, text]) => {
        const ast = parse(text);
        const only = ast[0];
        return [key, ast.length === 0 ? '' : ast.length === 1 && only && isLiteralElement(only) ? only.value : ast];
      }),
    );
  return {
    name: 'hik-catalogues',
    buildStart() {
      cached = null;
      for (const file of readdirSync(MESSAGES)) this.addWatchFile(join(MESSAGES, file));
    },
    resolveId: (id) => (id === INDEX || id.startsWith(ONE) ? `\0${id}` : null),
    load(id) {
      if (id === `\0${INDEX}`) {
        const tags = Object.keys(all());
        const names = Object.fromEntries(tags.map((tag) => [tag, all()[tag]?.['language.name'] ?? tag]));
        const loaders = tags.map((tag) => `${JSON.stringify(tag)}: () => import(${JSON.stringify(ONE + tag)})`);
        return `export const NAMES = ${JSON.stringify(names)};\nexport const LOAD = {${loaders.join(', ')}};`;
      }
      if (id.startsWith(`\0${ONE}`)) {
        const catalogue = all()[id.slice(ONE.length + 1)];
        if (!catalogue) throw new Error(`no catalogue for ${id}`);
        return `export default ${JSON.stringify(compiled(catalogue))};`;
      }
      return null;
    },
  };
}

// The UI is served from the app binary (custom protocol); no dev server is needed.
export default defineConfig(({ command }) => ({
  clearScreen: false,
  plugins: [catalogues()],
  // Messages arrive parsed (above): the page is built without the ICU parser
  // (a third of its script before), the tests keep it.
  resolve: {
    alias:
      command === 'build' ? [{ find: /^@formatjs\/icu-messageformat-parser$/, replacement: '@formatjs/icu-messageformat-parser/no-parser.js' }] : [],
  },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  test: { environment: 'node', setupFiles: ['test/setup.ts'] },
}) as never);
