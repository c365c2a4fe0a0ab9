import { GraphQLResolveInfo, Kind, OperationDefinitionNode, parse } from 'graphql';
import { asksField } from './asks-field';
import { fragmentsOf } from './query-cost';

/** The resolve info of the operation's first root field, as far as `asksField` reads it. */
function infoOf(document: string): GraphQLResolveInfo {
  const parsed = parse(document);
  const operation = parsed.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = fragmentsOf(parsed);
  const root = operation.selectionSet.selections[0];
  if (root.kind !== Kind.FIELD) throw new Error('the first selection must be a field');
  return { fieldNodes: [root], fragments } as unknown as GraphQLResolveInfo;
}

describe('asksField', () => {
  it('finds a field selected directly, in an inline fragment or through named fragments', () => {
    expect(asksField(infoOf('{ requests { totalCount edges { cursor } } }'), 'totalCount')).toBe(
      true,
    );
    expect(
      asksField(infoOf('{ requests { ... on RequestConnection { totalCount } } }'), 'totalCount'),
    ).toBe(true);
    expect(
      asksField(
        infoOf(
          '{ requests { ...A } } fragment A on RequestConnection { ...B } fragment B on RequestConnection { totalCount }',
        ),
        'totalCount',
      ),
    ).toBe(true);
  });

  it('does not find it when only nested fields of the same name are selected, or none', () => {
    expect(
      asksField(
        infoOf('{ requests { edges { node { timeline { totalCount } } } } }'),
        'totalCount',
      ),
    ).toBe(false);
    expect(asksField(infoOf('{ requests { pageInfo { hasNextPage } } }'), 'totalCount')).toBe(
      false,
    );
  });

  it('follows a fragment cycle once and stops', () => {
    const info = infoOf(
      '{ requests { ...A } } fragment A on RequestConnection { ...B } fragment B on RequestConnection { ...A }',
    );
    expect(asksField(info, 'totalCount')).toBe(false);
  });
});
