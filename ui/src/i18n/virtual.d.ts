// The module vite.config.ts makes of the catalogues (messages/*.json checked
// against English, plus the pseudo-locales).
declare module 'virtual:catalogues' {
  const catalogues: Record<string, Record<string, string>>;
  export default catalogues;
}
