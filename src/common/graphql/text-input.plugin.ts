import { ApolloServerPlugin } from '@apollo/server';
import { ASTNode, BREAK, DocumentNode, Kind, visit } from 'graphql';
import { AppError } from '../errors/app.error';
import { ErrorCode } from '../errors/error-code';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `text` is not text we can store, or null. A lone UTF-16 surrogate cannot be written as
 * UTF-8 (PostgreSQL refuses it in jsonb: 22P02, a 500 before this check) and NUL is refused
 * by PostgreSQL in any text; neither is ever typed by a person.
 */
export function brokenTextReason(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return 'a lone UTF-16 surrogate (half of a character)';
  if (text.includes('\u0000')) return 'a NUL character';
  return null;
}

export interface BrokenText {
  field: string;
  reason: string;
}

/** The first broken string (or object key) in a JSON-like value, with its dotted path. */
export function findBrokenText(value: unknown, path: string): BrokenText | null {
  if (typeof value === 'string') {
    const reason = brokenTextReason(value);
    return reason ? { field: path, reason } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findBrokenText(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyReason = brokenTextReason(key);
      if (keyReason) return { field: path, reason: keyReason };
      const found = findBrokenText(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** The argument path (`input.name`) of a string literal, from its ancestors. */
function literalPath(ancestors: ReadonlyArray<ASTNode | ReadonlyArray<ASTNode>>): string {
  const names: string[] = [];
  for (const node of ancestors) {
    if (Array.isArray(node)) continue;
    const named = node as ASTNode;
    if (named.kind === Kind.ARGUMENT || named.kind === Kind.OBJECT_FIELD) {
      names.push(named.name.value);
    }
  }
  return names.join('.');
}

/** Where each variable is first used, as an argument path (`$type` → `filter.entityType`). */
export function variableUsages(document: DocumentNode): Map<string, string> {
  const usages = new Map<string, string>();
  visit(document, {
    VariableDefinition: () => false, // the definition is not a usage
    Variable(node, _key, parent, _path, ancestors) {
      if (usages.has(node.name.value)) return;
      usages.set(node.name.value, literalPath(parent ? [...ancestors, parent] : ancestors));
    },
  });
  return usages;
}

/** The first broken string in the variables, named by the argument path they fill. */
export function findBrokenVariable(
  variables: Record<string, unknown>,
  document: DocumentNode,
): BrokenText | null {
  for (const [name, value] of Object.entries(variables)) {
    const found = findBrokenText(value, name);
    if (!found) continue;
    const usage = variableUsages(document).get(name);
    if (!usage || usage === name) return found;
    return { ...found, field: usage + found.field.slice(name.length) };
  }
  return null;
}

/** The first broken string literal of a document (`"\u0000"` escapes parse; surrogates do not). */
export function findBrokenLiteral(document: DocumentNode): BrokenText | null {
  let found: BrokenText | null = null;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      const reason = brokenTextReason(node.value);
      if (!reason) return undefined;
      // graphql-js gives the parent apart from the other ancestors.
      found = { field: literalPath(parent ? [...ancestors, parent] : ancestors), reason };
      return BREAK;
    },
  });
  return found;
}

export function brokenTextError({ field, reason }: BrokenText): AppError {
  return new AppError(
    ErrorCode.BAD_USER_INPUT,
    `\`${field}\` contains ${reason}, which is not text; send well-formed Unicode`,
    { field, http: { status: 400 } },
  );
}

/**
 * Every string input of every operation — variables (keys included) and literals — is
 * checked once here, at the API's edge, before anything runs: a broken string answers
 * BAD_USER_INPUT naming the field, instead of failing deep inside as INTERNAL_SERVER_ERROR.
 */
export function textInputPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const broken =
            findBrokenVariable(request.variables ?? {}, document) ?? findBrokenLiteral(document);
          if (broken) throw brokenTextError(broken);
        },
      };
    },
  };
}
