import { registerEnumType } from '@nestjs/graphql';
import { Permission } from './permission';

export enum StaffRole {
  MUNICIPAL_ADMIN = 'MUNICIPAL_ADMIN',
  SIGNATORY = 'SIGNATORY',
  WARD_COORDINATOR = 'WARD_COORDINATOR',
  FIELD_AGENT = 'FIELD_AGENT',
}

registerEnumType(StaffRole, {
  name: 'StaffRole',
  description: 'What a staff member does, municipality-wide or in named wards.',
  valuesMap: {
    MUNICIPAL_ADMIN: { description: 'Manages wards, accounts and catalogue; sees every ward.' },
    SIGNATORY: { description: 'Signs the certificate types configured for the role.' },
    WARD_COORDINATOR: { description: 'Works the requests of the named wards.' },
    FIELD_AGENT: { description: 'Carries deliveries in the named wards.' },
  },
});

/** Roles held for named wards; the others hold for the whole municipality. */
export const WARD_ROLES: readonly StaffRole[] = [StaffRole.WARD_COORDINATOR, StaffRole.FIELD_AGENT];

export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  [StaffRole.MUNICIPAL_ADMIN]: Object.values(Permission),
  [StaffRole.SIGNATORY]: [
    Permission.WARDS_READ,
    Permission.CATALOGUE_READ,
    Permission.RESIDENTS_READ,
    Permission.REQUESTS_READ,
    Permission.CERTIFICATES_READ,
    Permission.CERTIFICATES_ISSUE,
  ],
  [StaffRole.WARD_COORDINATOR]: [
    Permission.WARDS_READ,
    Permission.CATALOGUE_READ,
    Permission.RESIDENTS_READ,
    Permission.RESIDENTS_WRITE,
    Permission.REQUESTS_READ,
    Permission.REQUESTS_WRITE,
    Permission.CERTIFICATES_READ,
    // Which certificate types a coordinator may sign is set per type (`signerRole`).
    Permission.CERTIFICATES_ISSUE,
    Permission.AUDIT_READ,
    // A coordinator picks the agent of each delivery and keeps the ward's agents' accounts.
    Permission.WARD_STAFF_MANAGE,
  ],
  // Least privilege: a field agent sees their own deliveries (and, while carrying one, whom
  // it is for), never the ward's queue or residents.
  [StaffRole.FIELD_AGENT]: [
    Permission.WARDS_READ,
    Permission.CATALOGUE_READ,
    Permission.DELIVERIES_CARRY,
  ],
};
