import { SetMetadata } from '@nestjs/common';
import { Permission } from './permission';

export const ACCESS_POLICY = 'duare:access-policy';

export type AccessPolicy = { public: true } | { public: false; permission: Permission | null };

/**
 * Every query, mutation and subscription declares one of these; the access guard refuses
 * to run an operation that declares none.
 */
export const Allow = (permission: Permission) =>
  SetMetadata(ACCESS_POLICY, { public: false, permission } satisfies AccessPolicy);

/** Any signed-in staff member or API client (e.g. `me`, `signOut`). */
export const Authenticated = () =>
  SetMetadata(ACCESS_POLICY, { public: false, permission: null } satisfies AccessPolicy);

/** No credentials needed (sign-in, public verification). Declared, never assumed. */
export const Public = () => SetMetadata(ACCESS_POLICY, { public: true } satisfies AccessPolicy);
