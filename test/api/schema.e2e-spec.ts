import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { renderSchemaFile } from '../../src/common/graphql/print-schema';
import { startTestApp } from '../support/test-app';

describe('schema.gql', () => {
  it('is exactly what the code generates (run `npm run schema:generate` after API changes)', async () => {
    const t = await startTestApp();
    try {
      const generated = renderSchemaFile(t.app.get(GraphQLSchemaHost).schema);
      const committed = readFileSync(resolve(__dirname, '../../schema.gql'), 'utf8');
      expect(generated).toBe(committed);
    } finally {
      await t.close();
    }
  });
});
