import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, ENVIRONMENT_VARIABLES, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives development defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      http: { host: '127.0.0.1', port: 3000 },
      database: { url: undefined, embedded: { dataDir: '.data/postgres', port: 0 } },
      demoData: true,
      graphql: { introspection: true, maxDepth: 10 },
      auth: { jwtSecretGenerated: true, accessTokenTtlSeconds: 900 },
    });
  });

  it('turns demo data and introspection off in production and demands a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(config).toMatchObject({ demoData: false, graphql: { introspection: false } });
  });

  it('refuses an inbox concurrency its workers pool cannot hold, naming the pool', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (caught) {
        return (caught as ConfigurationError).problems;
      }
    };
    expect(problems({ WHATSAPP_INBOX_CONCURRENCY: '8', DATABASE_WORKER_POOL_SIZE: '8' })).toEqual([
      expect.stringMatching(/^DATABASE_WORKER_POOL_SIZE: must be at least .*\(10\)/),
    ]);
    expect(problems({ WHATSAPP_INBOX_CONCURRENCY: '8', DATABASE_WORKER_POOL_SIZE: '10' })).toEqual(
      [],
    );
    // The batch bounds the concurrency: 2 payloads a claim never hold more than 2 connections.
    expect(
      problems({
        WHATSAPP_INBOX_CONCURRENCY: '8',
        WHATSAPP_INBOX_BATCH: '2',
        DATABASE_WORKER_POOL_SIZE: '4',
      }),
    ).toEqual([]);
    // The defaults hold together.
    expect(problems({})).toEqual([]);
  });

  it('names every bad variable and never echoes its value', () => {
    let error: ConfigurationError | undefined;
    try {
      loadConfig({
        PORT: '70000',
        DATABASE_URL: 'mysql://secret@host/db',
        DEMO_DATA: 'perhaps',
        JWT_SECRET: 'short',
      });
    } catch (caught) {
      error = caught as ConfigurationError;
    }
    expect(error?.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATABASE_URL',
      'DEMO_DATA',
      'JWT_SECRET',
      'PORT',
    ]);
    expect(error?.message).not.toContain('secret@host');
  });

  it('keeps SMS on the log by default and names every missing Gupshup setting', () => {
    expect(loadConfig({}).sms).toEqual({ provider: 'log' });
    expect(() => loadConfig({ SMS_PROVIDER: 'gupshup', SMS_SENDER_ID: 'BSRMUN' })).toThrow(
      /SMS_GUPSHUP_USER_ID.*\n.*SMS_GUPSHUP_PASSWORD.*\n.*SMS_DLT_ENTITY_ID.*\n.*SMS_DLR_SECRET/,
    );
    expect(() => loadConfig({ SMS_DLT_ENTITY_ID: '12345' })).toThrow(/SMS_DLT_ENTITY_ID: must be/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.url).toBeUndefined();
  });
});

describe('the README configuration table', () => {
  it('documents exactly the variables the service reads', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Scripts'));
    const documented = [...table.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((m) => m[1]);
    expect(documented.filter((name) => name !== 'TEST_DATABASE_URL').sort()).toEqual(
      [...ENVIRONMENT_VARIABLES].sort(),
    );
  });
});
