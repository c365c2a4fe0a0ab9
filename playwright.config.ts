import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the console against the real built app (`dist/src/main.js`, started by
 * the tests themselves). Run by `npm run test:tools` (CI installs Debian's chromium first);
 * Playwright's own browser downloads are never used.
 */
export default defineConfig({
  testDir: './test/console',
  testMatch: '**/*.pw-spec.ts',
  outputDir: './console/test-results/output',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
});
