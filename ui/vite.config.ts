import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { problems, pseudo, type Catalogue } from './src/i18n/catalogue';

const MESSAGES = join(__dirname, 'src/i18n/messages');
const VIRTUAL = 'virtual:catalogues';

/** The catalogues as one module: each translation in messages/ checked
 * against English (the build fails on a missing key or a placeholder that
 * differs), and the pseudo-locales en-XA and ar-XB made from English. */
function catalogues(): Plugin {
  const load = (): Record<string, Catalogue> => {
    const all: Record<string, Catalogue> = {};
    for (const file of readdirSync(MESSAGES).filter((f) => f.endsWith('.json'))) {
      all[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(MESSAGES, file), 'utf8')) as Catalogue;
    }
    const en = all.en;
    if (!en) throw new Error('src/i18n/messages/en.json is missing');
    const found = Object.entries(all).flatMap(([lang, c]) => (lang === 'en' ? [] : problems(en, c, lang)));
    if (found.length) throw new Error(`The message catalogues disagree with English:\n  ${found.join('\n  ')}`);
    all['en-XA'] = pseudo(en, 'en-XA');
    all['ar-XB'] = pseudo(en, 'ar-XB');
    return all;
  };
  return {
    name: 'hik-catalogues',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : null),
    load(id) {
      if (id !== `\0${VIRTUAL}`) return null;
      for (const file of readdirSync(MESSAGES)) this.addWatchFile(join(MESSAGES, file));
      return `export default ${JSON.stringify(load())};`;
    },
  };
}

// The UI is served from the app binary (custom protocol); no dev server is needed.
export default defineConfig({
  clearScreen: false,
  plugins: [catalogues()],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  test: { environment: 'node' },
} as never);
