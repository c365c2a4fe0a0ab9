import { ModulesContainer } from '@nestjs/core';
import { ACCESS_POLICY, AccessPolicy } from '../common/access/access-policy.decorator';

const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_NAME_METADATA = 'graphql:resolver_name';
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export interface DeclaredOperation {
  /** `Query.wards`, `Mutation.signIn`, ... */
  operation: string;
  resolver: string;
  policy: AccessPolicy | undefined;
}

/**
 * Every root operation the resolvers declare, with its access policy (undefined when
 * missing). The policy test compares it with the schema; docs can list it.
 */
export function declaredOperations(modules: ModulesContainer): DeclaredOperation[] {
  const found = new Map<string, DeclaredOperation>();
  for (const module of modules.values()) {
    for (const wrapper of module.providers.values()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const key of Object.getOwnPropertyNames(prototype)) {
        // Descriptors, not property reads: reading a getter would run it.
        const method = Object.getOwnPropertyDescriptor(prototype, key)?.value;
        if (typeof method !== 'function' || key === 'constructor') continue;
        const rootType = Reflect.getMetadata(RESOLVER_TYPE_METADATA, method);
        if (!ROOT_TYPES.has(rootType)) continue;
        const name = Reflect.getMetadata(RESOLVER_NAME_METADATA, method) ?? key;
        const policy =
          Reflect.getMetadata(ACCESS_POLICY, method) ??
          Reflect.getMetadata(ACCESS_POLICY, prototype.constructor);
        const operation = `${rootType}.${name}`;
        found.set(operation, {
          operation,
          resolver: `${prototype.constructor.name}.${key}`,
          policy,
        });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.operation.localeCompare(b.operation));
}
