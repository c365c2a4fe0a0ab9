/**
 * Slow tests that need a PostgreSQL server with its own client tools (`pg_dump`, `pg_restore`
 * of the server's major version): `npm run test:slow` with TEST_DATABASE_URL set. The
 * embedded server of `npm test` ships no client tools, and an older `pg_dump` refuses a newer
 * server, so `.ci/run` runs this tier against the machine's PostgreSQL at 127.0.0.1:5432.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/**/*.slow-spec.ts'],
  testTimeout: 300000,
  reporters: ['default'],
};
