import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * The console builds into the API's dist folder (`dist/console`), which the API serves at `/`.
 * `npm run dev -w console` proxies the API (started with `npm run start:dev`) for development.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // Inline nothing: the page's Content-Security-Policy allows only files from the app itself.
    assetsInlineLimit: 0,
    manifest: 'manifest.json',
    // Two pages: the console, and GraphiQL for developers (its own chunks, never loaded by
    // the console).
    rollupOptions: { input: { console: 'index.html', graphiql: 'graphiql.html' } },
  },
  server: {
    proxy: {
      '/graphql': { target: 'http://localhost:3000', ws: true },
      '/files': 'http://localhost:3000',
      '/uploads': 'http://localhost:3000',
    },
  },
  test: { include: ['src/**/*.spec.ts'], environment: 'node' },
});
