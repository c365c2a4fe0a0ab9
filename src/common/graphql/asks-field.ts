import { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the operation selects `name` directly on the field being resolved (through
 * fragments and inline fragments too), e.g. a connection's `totalCount`: a COUNT over the
 * whole filtered list costs as much as the page, so it is run only when someone reads it.
 * A fragment is followed once, so a document cannot make this walk more than linear.
 */
export function asksField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === 'Field') return selection.name.value === name;
      if (selection.kind === 'InlineFragment') return inSet(selection.selectionSet);
      const fragmentName = selection.name.value;
      if (seen.has(fragmentName)) return false;
      seen.add(fragmentName);
      return inSet(info.fragments[fragmentName]?.selectionSet);
    });
  return info.fieldNodes.some((node) => inSet(node.selectionSet));
}
