/**
 * Tests that need tools from Debian's packages (poppler-utils, chromium): `npm run test:tools`.
 * `.ci/run` installs the tools when they are missing and runs this suite after `npm test`.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/tools/**/*.tools-spec.ts'],
  reporters: ['default'],
};
