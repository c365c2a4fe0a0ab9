import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { StaffRole } from '../../common/access/staff-role';
import { UserError } from '../../common/errors/user-error.type';
import { StaffAccount } from '../entities/staff-account.entity';

@InputType({ description: 'A role to grant: ward roles name their ward, others must not.' })
export class RoleGrantInput {
  @Field(() => StaffRole, { description: 'The role.' })
  role!: StaffRole;

  @Field(() => ID, {
    nullable: true,
    description: 'The ward, for WARD_COORDINATOR and FIELD_AGENT.',
  })
  wardId?: string | null;
}

@InputType({ description: 'A new staff account in the administrator’s municipality.' })
export class CreateStaffAccountInput {
  @Field({
    description: 'Sign-in name: 3–64 of a–z, 0–9, dot, dash, underscore; stored lower case.',
  })
  username!: string;

  @Field({ description: 'Name shown to colleagues (1–200 characters).' })
  displayName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Phone number, any local form; also a sign-in name.',
  })
  phone?: string | null;

  @Field({ description: 'Initial password (10+ characters, not common, not the username).' })
  password!: string;

  @Field(() => [RoleGrantInput], { description: 'At least one role.' })
  roles!: RoleGrantInput[];
}

@InputType({
  description: 'Changes to a staff account. Omitted fields stay; `roles` replaces all roles.',
})
export class UpdateStaffAccountInput {
  @Field(() => ID, { description: 'The account.' })
  id!: string;

  @Field(() => Int, { description: 'The `version` read; a stale one answers CONFLICT.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'New display name.' })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'New phone number; null removes it.' })
  phone?: string | null;

  @Field(() => [RoleGrantInput], { nullable: true, description: 'The complete new set of roles.' })
  roles?: RoleGrantInput[] | null;
}

@InputType({ description: 'Names a staff account.' })
export class StaffAccountRefInput {
  @Field(() => ID, { description: 'The account.' })
  accountId!: string;
}

@InputType({ description: 'A new password set by an administrator; ends the account’s sessions.' })
export class ResetStaffPasswordInput {
  @Field(() => ID, { description: 'The account.' })
  accountId!: string;

  @Field({ description: 'The new password (10+ characters, not common, not the username).' })
  newPassword!: string;
}

@ObjectType({ description: 'Result of a staff account mutation.' })
export class StaffAccountPayload {
  @Field(() => StaffAccount, {
    nullable: true,
    description: 'The account as stored; null when refused.',
  })
  account!: StaffAccount | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}
