import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_CSP, defaultConsoleDir, GRAPHIQL_CSP } from '../../src/console/console-static';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The console's files as the API's process serves them (`npm run build` builds them into
 * dist/console; `npm test` builds first): cache rules, the page's CSP, client routes that
 * reload to the page, and the API's own routes untouched.
 */
describe('the coordinator console at / (e2e)', () => {
  let t: TestApp;
  const manifest = JSON.parse(readFileSync(join(defaultConsoleDir(), 'manifest.json'), 'utf8'));
  const entry = manifest['index.html'] as { file: string };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the page uncached with a CSP that allows only the app itself', async () => {
    for (const path of [
      '/',
      '/queue',
      '/requests/0a1b2c',
      '/residents',
      '/helpline/0a1b',
      '/helpline/replies',
      '/announcements',
      '/my-deliveries',
    ]) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(await response.text()).toContain(`/${entry.file}`);
    }
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe|https?:|\*/);
  });

  it('caches hashed assets for a year and answers 404 for unknown ones', async () => {
    const asset = await fetch(`${t.url}/${entry.file}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${t.url}/assets/index-missing.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/assets/../../package.json`)).status).toBe(404);
  });

  it('shows GraphiQL to a browser at GET /graphql in development, and keeps CSRF prevention', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html,*/*' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(GRAPHIQL_CSP);
    expect(page.headers.get('content-security-policy')).not.toMatch(/script-src|https?:/);
    expect(await page.text()).toContain('GraphiQL');
    // A browser's GET carrying an operation is still Apollo's, refused without the preflight header.
    const forged = await fetch(`${t.url}/graphql?query=%7B__typename%7D`, {
      headers: { accept: 'text/html' },
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('CSRF');
    // What GraphiQL itself sends: POST application/json.
    const posted = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await posted.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('leaves the API’s own routes alone: no client route shadows them', async () => {
    const graphql = await t.gql('{ __typename }');
    expect(graphql.data).toEqual({ __typename: 'Query' });
    // Apollo's CSRF prevention still refuses a simple GET without the preflight header.
    const simpleGet = await fetch(`${t.url}/graphql?query=%7B__typename%7D`);
    expect(simpleGet.status).toBe(400);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${t.url}/files/00000000-0000-0000-0000-000000000000`)).status).toBe(401);
    const unknown = await fetch(`${t.url}/no-such-page`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).not.toMatch(/text\/html/);
  });
});
