import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { StaffAccount } from '../entities/staff-account.entity';

@InputType({ description: 'Credentials of a staff member.' })
export class SignInInput {
  @Field({ description: 'Username, or phone number in any local form (Bengali digits too).' })
  login!: string;

  @Field({ description: 'The password.' })
  password!: string;
}

@InputType({ description: 'A refresh token from signIn or an earlier refreshSession.' })
export class RefreshSessionInput {
  @Field({ description: 'The refresh token; it is used up by this call.' })
  refreshToken!: string;
}

@ObjectType({ description: 'Tokens of a signed-in session.' })
export class SessionPayload {
  @Field(() => String, {
    nullable: true,
    description: 'Send as `Authorization: Bearer <token>`; short-lived.',
  })
  accessToken!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the access token expires.' })
  accessTokenExpiresAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Trade it for new tokens with refreshSession; usable once. Keep it secret.',
  })
  refreshToken!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the refresh token expires.' })
  refreshTokenExpiresAt!: Date | null;

  @Field(() => StaffAccount, { nullable: true, description: 'The signed-in account.' })
  account!: StaffAccount | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'Result of signing out.' })
export class SignOutPayload {
  @Field(() => Int, { description: 'How many sessions were ended.' })
  endedSessions!: number;
}

@InputType({ description: 'A new password for the signed-in account.' })
export class ChangePasswordInput {
  @Field({ description: 'The current password.' })
  currentPassword!: string;

  @Field({ description: 'The new password: 10+ characters, not common, not your username.' })
  newPassword!: string;
}
