import { registerEnumType } from '@nestjs/graphql';

/**
 * What an operation needs. Staff get permissions through their roles; API clients get
 * them as scopes. The value is the scope's wire name (`wards:read`).
 */
export enum Permission {
  WARDS_READ = 'wards:read',
  WARDS_MANAGE = 'wards:manage',
  CATALOGUE_READ = 'catalogue:read',
  CATALOGUE_MANAGE = 'catalogue:manage',
  STAFF_MANAGE = 'staff:manage',
  API_CLIENTS_MANAGE = 'api-clients:manage',
  AUDIT_READ = 'audit:read',
  RESIDENTS_READ = 'residents:read',
  RESIDENTS_WRITE = 'residents:write',
  RESIDENTS_ERASE = 'residents:erase',
  REQUESTS_READ = 'requests:read',
  REQUESTS_WRITE = 'requests:write',
  CERTIFICATES_READ = 'certificates:read',
  CERTIFICATES_ISSUE = 'certificates:issue',
  WEBHOOKS_MANAGE = 'webhooks:manage',
  NOTIFICATIONS_MANAGE = 'notifications:manage',
  /** Confirm or fail one's own deliveries (field agents; never an API scope). */
  DELIVERIES_CARRY = 'deliveries:carry',
  /** See a ward's coordinators and field agents; manage its field agents (never an API scope). */
  WARD_STAFF_MANAGE = 'ward-staff:manage',
}

/** Permissions an API client may be given as scopes (account management stays with staff). */
export const API_CLIENT_SCOPES: readonly Permission[] = [
  Permission.WARDS_READ,
  Permission.CATALOGUE_READ,
  Permission.RESIDENTS_READ,
  Permission.RESIDENTS_WRITE,
  Permission.REQUESTS_READ,
  Permission.REQUESTS_WRITE,
  Permission.CERTIFICATES_READ,
  Permission.CERTIFICATES_ISSUE,
  Permission.WEBHOOKS_MANAGE,
  Permission.AUDIT_READ,
];

registerEnumType(Permission, {
  name: 'Permission',
  description:
    'A right to do something. Staff hold permissions through roles; API clients hold them as scopes, whose wire names are the lower-case forms (`WARDS_READ` = `wards:read`).',
});
