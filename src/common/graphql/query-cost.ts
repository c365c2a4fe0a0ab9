import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLIncludeDirective,
  GraphQLNamedType,
  GraphQLSchema,
  GraphQLSkipDirective,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination/page-window';

/** Points of a mutation's root field, whatever it selects (writes cost more than reads). */
/** A document's fragments by name, as `operationCost` and selection walks look them up. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

export const MUTATION_COST = 10;
/** Every operation costs at least this much, so that floods of trivial queries still count. */
export const MINIMUM_COST = 1;

/**
 * The cost model, Shopify/GitHub style: each object returned costs 1 point, a scalar or enum
 * 0, a mutation's root field {@link MUTATION_COST}; a connection's items are counted `first`
 * (or `last`) times — the default page size when absent, at most the maximum page size —,
 * its `edges` and `pageInfo` wrappers are free. Unpaginated lists (short, bounded by the
 * domain: a payload's errors, a request's attachments) are counted as one item up front and
 * as their real length afterwards. Introspection is free.
 */
interface CostWalk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /**
   * A fragment's cost at one place (type, page size, root or not), so that each fragment is
   * walked once however often it is spread: without it `F3 { ...F2 ×300 }`, `F2 { ...F1 ×300 }`
   * … costs 300³ walks for a 5 KB anonymous document (a pre-auth CPU stall).
   */
  requested: Map<string, number>;
  /** The same per result object, when the actual cost is counted over the response's data. */
  actual: WeakMap<object, Map<string, number>>;
  /** Fragments being walked: a cycle counts nothing (validation refuses cycles anyway). */
  walking: Set<string>;
  /** Each selection set's steps, by parent type (see `stepsOf`); at a mutation's root apart. */
  steps: Map<SelectionSetNode, Map<GraphQLCompositeType, Step[]>>;
  mutationRootSteps: Map<SelectionSetNode, Map<GraphQLCompositeType, Step[]>>;
}

function isConnection(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'edges' in fields && 'pageInfo' in fields;
}

/** Edge and PageInfo objects are wrappers: their content is what costs. */
function isWrapper(type: GraphQLNamedType): boolean {
  if (type.name === 'PageInfo') return true;
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'cursor' in fields && 'node' in fields;
}

/** Items a connection field asks for: `first`/`last` (variables resolved), defaulted, capped. */
function pageSizeOf(walk: CostWalk, field: GraphQLField<unknown, unknown>, node: FieldNode) {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, walk.variables);
  } catch {
    return MAX_PAGE_SIZE; // execution will refuse the arguments; count the worst case meanwhile
  }
  const asked = [args.first, args.last].filter((value) => value !== null && value !== undefined);
  if (asked.length === 0) return DEFAULT_PAGE_SIZE;
  const sizes = asked.map((value) =>
    typeof value === 'number' && Number.isFinite(value) ? value : MAX_PAGE_SIZE,
  );
  return Math.max(0, Math.min(Math.max(...sizes), MAX_PAGE_SIZE));
}

function included(walk: CostWalk, node: FieldNode | { directives?: FieldNode['directives'] }) {
  if (!node.directives?.length) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node, walk.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, walk.variables);
  return include?.if !== false;
}

/**
 * One selection of a selection set, as far as it can be worked out without the result: which
 * fields count, on what type, with what page size (variables are fixed for a walk).
 */
type Step =
  | { kind: 'inline'; selectionSet: SelectionSetNode; type: GraphQLCompositeType }
  | { kind: 'spread'; name: string }
  | {
      kind: 'field';
      /** Points charged whatever the field returns (a mutation's root field). */
      fixed: number;
      /** Where the value is in the result, for the actual cost. */
      key: string;
      /** Null for scalars and enums (free). */
      object: {
        type: GraphQLCompositeType;
        selectionSet: SelectionSetNode;
        own: number;
        childEdges: number;
        /** Counted `edgesCount` times in the requested cost (a connection's edges). */
        edges: boolean;
      } | null;
    };

/**
 * The steps of a selection set on `parent`, worked out once per walk: the actual cost visits
 * the same selection set for every item of a page (50 queue cards), and `@skip`/`@include`,
 * field look-ups and page sizes are the same each time.
 */
function stepsOf(
  walk: CostWalk,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  mutationRoot: boolean,
): Step[] {
  // Looked up for every item of a page: keys are objects, not strings made for each look-up.
  const memo = mutationRoot ? walk.mutationRootSteps : walk.steps;
  let byParent = memo.get(selectionSet);
  if (!byParent) {
    byParent = new Map();
    memo.set(selectionSet, byParent);
  }
  const known = byParent.get(parent);
  if (known) return known;
  const steps: Step[] = [];
  for (const selection of selectionSet.selections) {
    if (!included(walk, selection)) continue;
    if (selection.kind === 'InlineFragment') {
      const condition = selection.typeCondition
        ? walk.schema.getType(selection.typeCondition.name.value)
        : parent;
      if (condition && isCompositeType(condition))
        steps.push({ kind: 'inline', selectionSet: selection.selectionSet, type: condition });
      continue;
    }
    if (selection.kind === 'FragmentSpread') {
      steps.push({ kind: 'spread', name: selection.name.value });
      continue;
    }
    if (selection.name.value.startsWith('__')) continue; // __typename, introspection
    const fixed = mutationRoot ? MUTATION_COST : 0; // charged whether or not the write succeeds
    const step: Step = {
      kind: 'field',
      fixed,
      key: (selection.alias ?? selection.name).value,
      object: null,
    };
    steps.push(step);
    if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
    const field = parent.getFields()[selection.name.value];
    if (!field || !selection.selectionSet) continue; // scalars and enums are free
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) continue;
    step.object = {
      type,
      selectionSet: selection.selectionSet,
      own: mutationRoot || isWrapper(type) ? 0 : 1,
      childEdges: isConnection(type) ? pageSizeOf(walk, field, selection) : 1,
      edges: isListType(getNullableType(field.type)) && selection.name.value === 'edges',
    };
  }
  byParent.set(parent, steps);
  return steps;
}

/** Calls `visit` for each object in a value (lists of lists included). */
function eachObject(value: unknown, visit: (item: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) for (const item of value) eachObject(item, visit);
  else if (value !== null && typeof value === 'object') visit(value as Record<string, unknown>);
}

type ObjectStep = NonNullable<Extract<Step, { kind: 'field' }>['object']>;

/** One object a field returns: its own point and its selection's (requested without `item`). */
function objectCost(
  walk: CostWalk,
  object: ObjectStep,
  item: Record<string, unknown> | undefined,
): number {
  return (
    object.own +
    selectionCost(walk, object.selectionSet, object.type, item, object.childEdges, false)
  );
}

/**
 * Cost of a selection set on `parent`. With `data` (the result object at this place) it is
 * the actual cost of what was returned; without, the requested cost. `edgesCount` is the
 * page size of the connection whose selection this is.
 */
function selectionCost(
  walk: CostWalk,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  data: Record<string, unknown> | undefined,
  edgesCount: number,
  mutationRoot: boolean,
): number {
  let cost = 0;
  for (const step of stepsOf(walk, selectionSet, parent, mutationRoot)) {
    if (step.kind === 'inline') {
      cost += selectionCost(walk, step.selectionSet, step.type, data, edgesCount, mutationRoot);
      continue;
    }
    if (step.kind === 'spread') {
      cost += fragmentCost(walk, step.name, data, edgesCount, mutationRoot);
      continue;
    }
    cost += step.fixed;
    const object = step.object;
    if (!object) continue;
    if (data === undefined) {
      const count = object.edges ? edgesCount : 1;
      cost += count * objectCost(walk, object, undefined);
      continue;
    }
    eachObject(data[step.key], (item) => {
      cost += objectCost(walk, object, item);
    });
  }
  return cost;
}

/**
 * A named fragment's cost where it is spread, walked once per place (see `CostWalk`): the
 * cost depends only on the fragment (its own type condition), the enclosing connection's
 * page size, whether it is at a mutation's root and (for the actual cost) the result object.
 */
function fragmentCost(
  walk: CostWalk,
  name: string,
  data: Record<string, unknown> | undefined,
  edgesCount: number,
  mutationRoot: boolean,
): number {
  const fragment = walk.fragments[name];
  if (!fragment || walk.walking.has(name)) return 0;
  const condition = walk.schema.getType(fragment.typeCondition.name.value);
  if (!condition || !isCompositeType(condition)) return 0;
  let memo = walk.requested;
  if (data !== undefined) {
    memo = walk.actual.get(data) ?? new Map<string, number>();
    walk.actual.set(data, memo);
  }
  const key = `${name}\u0000${edgesCount}\u0000${mutationRoot}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  walk.walking.add(name);
  try {
    const cost = selectionCost(
      walk,
      fragment.selectionSet,
      condition,
      data,
      edgesCount,
      mutationRoot,
    );
    memo.set(key, cost);
    return cost;
  } finally {
    walk.walking.delete(name);
  }
}

/** The operation's cost: requested (no `data`) or actual (the response's `data`). */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: Record<string, unknown> | null,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root || data === null) return MINIMUM_COST;
  const walk: CostWalk = {
    schema,
    fragments,
    variables,
    requested: new Map(),
    actual: new WeakMap(),
    walking: new Set(),
    steps: new Map(),
    mutationRootSteps: new Map(),
  };
  const cost = selectionCost(
    walk,
    operation.selectionSet,
    root,
    data,
    1,
    operation.operation === 'mutation',
  );
  return Math.max(MINIMUM_COST, cost);
}
