import {
  buildSchema,
  FragmentDefinitionNode,
  getVariableValues,
  Kind,
  OperationDefinitionNode,
  parse,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fragmentsOf, MINIMUM_COST, operationCost } from './query-cost';

const schema = buildSchema(`
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type RequestEdge { cursor: String! node: Request! }
  type RequestConnection { edges: [RequestEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type EventEdge { cursor: String! node: Event! }
  type EventConnection { edges: [EventEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type Event { id: ID! kind: String! }
  type Attachment { name: String! }
  type Resident { id: ID! fullName: String! }
  type Request {
    id: ID!
    resident: Resident
    attachments: [Attachment!]!
    timeline(first: Int, after: String): EventConnection!
  }
  type Query {
    requests(first: Int, after: String): RequestConnection!
    request(id: ID!): Request
    version: String!
  }
  type Payload { request: Request errors: [Attachment!]! }
  type Mutation { cancelRequest(id: ID!): Payload! logout: Boolean! }
`);

function cost(query: string, variables: Record<string, unknown> = {}, data?: unknown): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = fragmentsOf(document);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return operationCost(
    schema,
    operation,
    fragments,
    coerced.coerced ?? variables,
    data as Record<string, unknown> | undefined,
  );
}

describe('operationCost', () => {
  it('counts one point per object, none for scalars and the edge/pageInfo wrappers', () => {
    expect(cost('{ version }')).toBe(1); // the minimum
    expect(cost('{ request(id: "1") { id resident { fullName } } }')).toBe(2);
    // connection 1 + 20 (default page) × (node 1 + resident 1)
    expect(
      cost(
        '{ requests { totalCount pageInfo { hasNextPage } edges { node { resident { id } } } } }',
      ),
    ).toBe(41);
  });

  it('multiplies a connection’s items by `first`, literal or from variables, capped at 100', () => {
    const query = `query ($n: Int) { requests(first: $n) { edges { node { id resident { id } } } } }`;
    expect(cost(query, { n: 5 })).toBe(1 + 5 * 2);
    expect(cost(query, { n: 100 })).toBe(1 + 100 * 2);
    expect(cost(query, { n: 100000 })).toBe(1 + 100 * 2);
    expect(cost(query)).toBe(1 + 20 * 2);
    expect(cost('{ requests(first: 3) { edges { node { id } } } }')).toBe(1 + 3);
  });

  it('multiplies nested connections, through fragments and aliases', () => {
    const query = `
      query ($outer: Int!, $inner: Int!) {
        a: requests(first: $outer) { ...Page }
        b: requests(first: 1) { ...Page }
      }
      fragment Page on RequestConnection { edges { node { ...Line } } }
      fragment Line on Request { timeline(first: $inner) { edges { node { id } } } }`;
    // each: 1 + outer × (node 1 + timeline 1 + inner × 1)
    expect(cost(query, { outer: 50, inner: 10 })).toBe(1 + 50 * 12 + (1 + 1 * 12));
  });

  it('honours @skip and @include', () => {
    const query = `query ($big: Boolean!) {
      requests(first: 100) @include(if: $big) { edges { node { id } } }
      request(id: "1") { id }
    }`;
    expect(cost(query, { big: true })).toBe(101 + 1);
    expect(cost(query, { big: false })).toBe(1);
  });

  it('charges a mutation’s root field 10 points plus what it selects', () => {
    expect(cost('mutation { logout }')).toBe(10);
    expect(cost('mutation { cancelRequest(id: "1") { request { id } errors { name } } }')).toBe(12);
  });

  it('counts what was really returned for the actual cost', () => {
    const query = `{ requests(first: 50) { edges { node { id attachments { name } } } } }`;
    expect(cost(query)).toBe(1 + 50 * 2);
    const data = {
      requests: {
        edges: [
          { node: { id: '1', attachments: [] } },
          { node: { id: '2', attachments: [{ name: 'a' }, { name: 'b' }] } },
        ],
      },
    };
    expect(cost(query, {}, data)).toBe(1 + 1 + (1 + 2));
    expect(cost(query, {}, { requests: { edges: [] } })).toBe(1);
  });
});

/** The issue-21 document: three levels of 300 spreads, 300³ expansions when not memoised. */
function nestedSpreads(spreads: number, leaf = '__typename'): string {
  const times = (name: string) => Array.from({ length: spreads }, () => `...${name}`).join(' ');
  return `query { ...F3 }
    fragment F0 on Query { ${leaf} }
    fragment F1 on Query { ${times('F0')} }
    fragment F2 on Query { ${times('F1')} }
    fragment F3 on Query { ${times('F2')} }`;
}

/** The document's fragments, each counting how often its selection set is walked. */
function countingFragments(query: string) {
  const document = parse(query);
  const walks: Record<string, number> = {};
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) {
    if (d.kind !== Kind.FRAGMENT_DEFINITION) continue;
    walks[d.name.value] = 0;
    fragments[d.name.value] = new Proxy(d, {
      get(target, property, receiver) {
        if (property === 'selectionSet') walks[target.name.value] += 1;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
  }
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { operation, fragments, walks };
}

describe('operationCost over many fragment spreads (issue 21: a pre-auth CPU stall)', () => {
  it('walks each fragment once however often it is spread, requested and actual', () => {
    const { operation, fragments, walks } = countingFragments(nestedSpreads(300));
    expect(operationCost(schema, operation, fragments, {})).toBe(MINIMUM_COST);
    expect(walks).toEqual({ F0: 1, F1: 1, F2: 1, F3: 1 });
    const actual = countingFragments(nestedSpreads(300));
    const data = { __typename: 'Query' };
    expect(operationCost(schema, actual.operation, actual.fragments, {}, data)).toBe(MINIMUM_COST);
    expect(actual.walks).toEqual({ F0: 1, F1: 1, F2: 1, F3: 1 });
  });

  it('still counts every spread’s cost, so the expanded document is refused by its cost', () => {
    // 300³ spreads of one object each: the memo changes the work, not the price.
    expect(cost(nestedSpreads(300, 'request(id: "1") { id }'))).toBe(300 ** 3);
    expect(cost(nestedSpreads(2, 'request(id: "1") { id }'))).toBe(8);
  });

  it('walks a fragment once per page size it is spread under, and once per result object', () => {
    const query = `{
      a: requests(first: 2) { ...Page }
      b: requests(first: 3) { ...Page }
      c: requests(first: 3) { ...Page }
    }
    fragment Page on RequestConnection { edges { node { ...Line } } }
    fragment Line on Request { id resident { id } }`;
    const { operation, fragments, walks } = countingFragments(query);
    expect(operationCost(schema, operation, fragments, {})).toBe(3 + 2 * 2 + 3 * 2 * 2);
    expect(walks).toEqual({ Page: 2, Line: 1 });
  });
});

describe('the worked example of docs/integration.md, on the real schema', () => {
  const real = buildSchema(readFileSync(join(__dirname, '../../../schema.gql'), 'utf8'));
  const example = `query ($n: Int) {
    requests(first: $n) {
      totalCount
      pageInfo { endCursor }
      edges { node {
        trackingNumber
        resident { fullName }
        timeline(first: 5) { edges { node { action } } }
      } }
    }
  }`;
  const costOf = (variables: Record<string, unknown>, data?: Record<string, unknown>) => {
    const operation = parse(example).definitions[0] as OperationDefinitionNode;
    return operationCost(real, operation, {}, variables, data);
  };

  it('costs 401 for 50 requests, 801 when asking for 1000 (capped at 100)', () => {
    expect(costOf({ n: 50 })).toBe(401);
    expect(costOf({ n: 1000 })).toBe(801);
  });

  it('costs 16 once run, when the page held 3 requests with 2 timeline entries each', () => {
    const node = {
      trackingNumber: 'x',
      resident: { fullName: 'y' },
      timeline: { edges: [{ node: { action: 'A' } }, { node: { action: 'B' } }] },
    };
    const data = {
      requests: { totalCount: 3, pageInfo: {}, edges: [{ node }, { node }, { node }] },
    };
    expect(costOf({ n: 50 }, data)).toBe(16);
  });
});
