import { StaffAccountConnection } from './dto/auth.connections';
import { PageArgs } from '../common/pagination/page.args';
import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { AuthLoaders } from './auth.loaders';
import {
  CreateStaffAccountInput,
  ResetStaffPasswordInput,
  StaffAccountPayload,
  StaffAccountRefInput,
  UpdateStaffAccountInput,
} from './dto/staff-account.dto';
import { RoleGrantRow } from './entities/role-grant.entity';
import { StaffAccount } from './entities/staff-account.entity';
import { StaffAccountsService } from './staff-accounts.service';

@Resolver(() => StaffAccount)
export class StaffAccountResolver {
  constructor(
    private readonly accounts: StaffAccountsService,
    private readonly loaders: AuthLoaders,
  ) {}

  @Query(() => StaffAccountConnection, {
    description: 'Staff accounts of the municipality, by username.',
  })
  @Allow(Permission.STAFF_MANAGE)
  staffAccounts(
    @CurrentActor() actor: Actor,
    @Args() { first, after }: PageArgs,
  ): Promise<StaffAccountConnection> {
    return this.accounts.list(actor, first, after);
  }

  @Query(() => StaffAccount, {
    description: 'One staff account; NOT_FOUND outside the municipality.',
  })
  @Allow(Permission.STAFF_MANAGE)
  staffAccount(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The account.' }) id: string,
  ): Promise<StaffAccount> {
    return this.accounts.getVisible(actor, id);
  }

  @Mutation(() => StaffAccountPayload, { description: 'Creates a staff account with its roles.' })
  @Allow(Permission.STAFF_MANAGE)
  createStaffAccount(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateStaffAccountInput,
  ): Promise<StaffAccountPayload> {
    return this.accounts.create(actor, input);
  }

  @Mutation(() => StaffAccountPayload, {
    description: 'Changes a staff account (optimistic locking).',
  })
  @Allow(Permission.STAFF_MANAGE)
  updateStaffAccount(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateStaffAccountInput,
  ): Promise<StaffAccountPayload> {
    return this.accounts.update(actor, input);
  }

  @Mutation(() => StaffAccountPayload, {
    description: 'Deactivates an account: it cannot sign in and its sessions end at once.',
  })
  @Allow(Permission.STAFF_MANAGE)
  deactivateStaffAccount(
    @CurrentActor() actor: Actor,
    @Args('input') input: StaffAccountRefInput,
  ): Promise<StaffAccountPayload> {
    return this.accounts.deactivate(actor, input);
  }

  @Mutation(() => StaffAccountPayload, { description: 'Lets a deactivated account sign in again.' })
  @Allow(Permission.STAFF_MANAGE)
  reactivateStaffAccount(
    @CurrentActor() actor: Actor,
    @Args('input') input: StaffAccountRefInput,
  ): Promise<StaffAccountPayload> {
    return this.accounts.reactivate(actor, input);
  }

  @Mutation(() => StaffAccountPayload, {
    description: 'Sets a new password for a staff member; all their sessions end.',
  })
  @Allow(Permission.STAFF_MANAGE)
  resetStaffPassword(
    @CurrentActor() actor: Actor,
    @Args('input') input: ResetStaffPasswordInput,
  ): Promise<StaffAccountPayload> {
    return this.accounts.resetPassword(actor, input);
  }

  @ResolveField(() => [RoleGrantRow], { description: 'The roles the account holds.' })
  roles(@Parent() account: StaffAccount, @Context() ctx: GraphQLContext): Promise<RoleGrantRow[]> {
    return ctx.loaders.get(this.loaders.grantsByAccount).load(account.id);
  }
}
