// The modules vite.config.ts makes of the catalogues (messages/*.json checked
// against English, plus the pseudo-locales): every language by its own name,
// and each language's messages, compiled, loaded on demand.
declare module 'virtual:catalogues' {
  import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
  export const NAMES: Record<string, string>;
  export const LOAD: Record<string, () => Promise<{ default: Record<string, string | MessageFormatElement[]> }>>;
}
