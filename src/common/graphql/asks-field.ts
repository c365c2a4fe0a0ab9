import { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the operation selects `name` directly on the field being resolved (through
 * fragments and inline fragments too), e.g. a connection's `totalCount`: a COUNT over the
 * whole filtered list costs as much as the page, so it is run only when someone reads it.
 * A fragment is followed once, so a document cannot make this walk more than linear.
 */
export function asksField(info: GraphQLResolveInfo, name: string): boolean {
  return asksPath(info, [name]);
}

/**
 * Whether the operation selects the path of fields below the field being resolved, e.g.
 * `['edges', 'node', 'ward']` (through fragments and inline fragments too). Each level
 * follows a fragment once, so the walk stays linear in the document.
 */
export function asksPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let sets: Array<SelectionSetNode | undefined> = info.fieldNodes.map((node) => node.selectionSet);
  for (const name of path) {
    const seen = new Set<string>();
    const found: Array<SelectionSetNode | undefined> = [];
    const collect = (set: SelectionSetNode | undefined): void => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === 'Field') {
          if (selection.name.value === name) found.push(selection.selectionSet);
        } else if (selection.kind === 'InlineFragment') {
          collect(selection.selectionSet);
        } else if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          collect(info.fragments[selection.name.value]?.selectionSet);
        }
      }
    };
    sets.forEach(collect);
    if (found.length === 0) return false;
    sets = found;
  }
  return true;
}
