import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { StaffRole } from '../../common/access/staff-role';
import { UserError } from '../../common/errors/user-error.type';
import { StaffAccount } from '../entities/staff-account.entity';

@ObjectType({ description: 'A person who works in a ward, in one of their roles there.' })
export class WardStaffMember {
  @Field(() => ID, { description: 'The staff account (e.g. a delivery’s `agentId`).' })
  id!: string;

  @Field({ description: 'Name shown to colleagues.' })
  displayName!: string;

  @Field({ description: 'Sign-in name.' })
  username!: string;

  @Field(() => String, { nullable: true, description: 'Phone number (E.164).' })
  phone!: string | null;

  @Field(() => StaffRole, { description: 'The role held in this ward.' })
  role!: StaffRole;

  @Field({ description: 'Whether the account can sign in.' })
  active!: boolean;
}

@InputType({ description: 'A field agent account for one of the coordinator’s wards.' })
export class CreateFieldAgentInput {
  @Field(() => ID, { description: 'The ward the agent carries deliveries in.' })
  wardId!: string;

  @Field({ description: 'Sign-in name: 3–64 of a–z, 0–9, dot, dash, underscore.' })
  username!: string;

  @Field({ description: 'The agent’s name as colleagues and residents know it.' })
  displayName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Phone number, any local form (Bengali digits too); also a sign-in name.',
  })
  phone?: string | null;
}

@InputType({ description: 'Names a field agent of one of the coordinator’s wards.' })
export class FieldAgentRefInput {
  @Field(() => ID, { description: 'The agent’s account.' })
  accountId!: string;
}

@ObjectType({ description: 'Result of a field agent account mutation.' })
export class FieldAgentPayload {
  @Field(() => StaffAccount, { nullable: true, description: 'The account; null when refused.' })
  account!: StaffAccount | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The first-sign-in password, shown this once and stored nowhere in clear: give it to the agent, who changes it with `changePassword`. Null when nothing was set.',
  })
  firstSignInPassword!: string | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}
