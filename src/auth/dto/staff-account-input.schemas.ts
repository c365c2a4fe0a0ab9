import { z } from 'zod';
import { StaffRole, WARD_ROLES } from '../../common/access/staff-role';
import { UserErrorCode } from '../../common/errors/user-error.type';
import { keptUnlessGiven, phoneNumber, requiredText } from '../../common/validation/fields';
import { withCode } from '../../common/validation/validate-input';

const roleGrant = z
  .object({ role: z.enum(StaffRole), wardId: z.uuid('must be an ID (UUID)').nullish() })
  .superRefine((grant, ctx) => {
    const wardRole = WARD_ROLES.includes(grant.role);
    if (wardRole && !grant.wardId) {
      ctx.addIssue({
        code: 'custom',
        path: ['wardId'],
        message: `${grant.role} needs a ward`,
        ...withCode(UserErrorCode.REQUIRED),
      });
    }
    if (!wardRole && grant.wardId) {
      ctx.addIssue({
        code: 'custom',
        path: ['wardId'],
        message: `${grant.role} holds for the whole municipality; give no ward`,
      });
    }
  });

const roles = z
  .array(roleGrant)
  .min(1, 'must grant at least one role')
  .max(50, 'must grant at most 50 roles')
  .refine((list) => new Set(list.map((g) => `${g.role}:${g.wardId ?? ''}`)).size === list.length, {
    message: 'must not repeat a role',
    ...withCode(UserErrorCode.DUPLICATE),
  });

export const createStaffAccountSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._-]{3,64}$/, 'must be 3–64 of a–z, 0–9, dot, dash or underscore'),
  displayName: requiredText(200),
  phone: phoneNumber.nullish(),
  password: z.string(),
  roles,
});

export const updateStaffAccountSchema = z.object({
  id: z.uuid('must be an ID (UUID)'),
  version: z.number().int().min(1),
  displayName: keptUnlessGiven(requiredText(200)),
  phone: phoneNumber.nullish(),
  roles: keptUnlessGiven(roles),
});

export type RoleGrantValue = z.output<typeof roleGrant>;
