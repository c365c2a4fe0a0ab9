import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakingChanges } from './schema-compat';

const current = readFileSync(join(__dirname, '../../../schema.gql'), 'utf8');

describe('schema compatibility check', () => {
  it('finds nothing between the schema and itself, or when a field is added', () => {
    expect(breakingChanges(current, current)).toEqual([]);
    const added = current.replace(
      'type ServiceRequest {',
      'type ServiceRequest {\n  """New."""\n  newField: Int\n',
    );
    expect(breakingChanges(current, added)).toEqual([]);
  });

  it('fails on a removed field, a removed enum value and a newly required argument', () => {
    const removedField = current.replace(
      /\n {2}"""\n {2}Human tracking number[^\n]*\n {2}"""\n {2}trackingNumber: String!/,
      '',
    );
    expect(removedField).not.toBe(current);
    expect(breakingChanges(current, removedField)).toEqual([
      'FIELD_REMOVED: ServiceRequest.trackingNumber was removed.',
    ]);
    const removedValue = current.replace('\n  NORMAL\n  URGENT', '\n  NORMAL');
    expect(breakingChanges(current, removedValue)).toEqual([
      'VALUE_REMOVED_FROM_ENUM: URGENT was removed from enum type RequestPriority.',
    ]);
    const at = current.indexOf('  requests(');
    const required =
      current.slice(0, at) + current.slice(at).replace('after: String\n', 'after: String!\n');
    expect(breakingChanges(current, required)).toEqual([
      'ARG_CHANGED_KIND: Query.requests arg after has changed type from String to String!.',
    ]);
  });
});
