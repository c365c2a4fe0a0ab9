/**
 * The resilience suite (`test/resilience/`): a killed process, a restarted database, memory
 * under load, fuzzed schemas. Long-running and CPU-hungry, so not part of `npm test`;
 * `npm run test:resilience` runs it and `.ci/run` runs it after `npm test`.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/resilience/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // CPU-hungry (a memory run, a fuzzer, processes killed under load): half the cores, as
  // timing-sensitive parts must not fight each other for them.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '50%',
};
