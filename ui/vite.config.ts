import { defineConfig } from 'vite';

// The UI is served from the app binary (custom protocol); no dev server is needed.
export default defineConfig({
  clearScreen: false,
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  test: { environment: 'node' },
} as never);
