import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { ForbiddenError } from '../common/access/access-control';
import { Authenticated, Public } from '../common/access/access-policy.decorator';
import { Actor, RoleGrant, StaffActor, visibleReach } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { ROLE_PERMISSIONS } from '../common/access/staff-role';
import { GraphQLContext } from '../common/graphql/graphql-context';
import {
  ChangePasswordInput,
  RefreshSessionInput,
  SessionPayload,
  SignInInput,
  SignOutPayload,
} from './dto/session.dto';
import { StaffAccountPayload } from './dto/staff-account.dto';
import { ActorType, Viewer } from './dto/viewer.type';
import { ApiClient } from './entities/api-client.entity';
import { RoleGrantRow } from './entities/role-grant.entity';
import { StaffAccount } from './entities/staff-account.entity';
import { ClientInfo, SessionService } from './session.service';
import { StaffAccountsService } from './staff-accounts.service';

function clientInfo(ctx: GraphQLContext): ClientInfo {
  const userAgent = ctx.req.headers['user-agent'];
  return { address: ctx.req.ip, userAgent: userAgent ?? null, requestId: String(ctx.req.id) };
}

function staffOnly(actor: Actor): StaffActor {
  if (actor.type !== 'STAFF') throw new ForbiddenError('Only staff members have sessions');
  return actor;
}

function permissionsOf(actor: Actor): Permission[] {
  const all =
    actor.type === 'API_CLIENT'
      ? actor.scopes
      : actor.grants.flatMap((g) => ROLE_PERMISSIONS[g.role]);
  return [...new Set(all)].sort();
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly sessions: SessionService,
    private readonly accounts: StaffAccountsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Mutation(() => SessionPayload, {
    description:
      'Signs a staff member in. Wrong credentials answer UNAUTHENTICATED without telling whether the account exists; repeated failures answer RATE_LIMITED for a while.',
  })
  @Public()
  signIn(
    @Args('input') input: SignInInput,
    @Context() ctx: GraphQLContext,
  ): Promise<SessionPayload> {
    return this.sessions.signIn(input.login, input.password, clientInfo(ctx));
  }

  @Mutation(() => SessionPayload, {
    description:
      'New tokens for a refresh token, which is used up. Using one twice ends the whole session (token theft).',
  })
  @Public()
  refreshSession(
    @Args('input') input: RefreshSessionInput,
    @Context() ctx: GraphQLContext,
  ): Promise<SessionPayload> {
    return this.sessions.refresh(input.refreshToken, clientInfo(ctx));
  }

  @Mutation(() => SignOutPayload, { description: 'Ends the caller’s current session.' })
  @Authenticated()
  async signOut(@CurrentActor() actor: Actor): Promise<SignOutPayload> {
    return { endedSessions: await this.sessions.signOut(staffOnly(actor)) };
  }

  @Mutation(() => SignOutPayload, {
    description: 'Ends every session of the caller, on every device.',
  })
  @Authenticated()
  async signOutEverywhere(@CurrentActor() actor: Actor): Promise<SignOutPayload> {
    return { endedSessions: await this.sessions.signOutEverywhere(staffOnly(actor)) };
  }

  @Mutation(() => StaffAccountPayload, {
    description: 'Changes the caller’s own password; the caller’s other sessions end.',
  })
  @Authenticated()
  changePassword(
    @CurrentActor() actor: Actor,
    @Args('input') input: ChangePasswordInput,
    @Context() ctx: GraphQLContext,
  ): Promise<StaffAccountPayload> {
    return this.accounts.changeOwnPassword(actor, input, clientInfo(ctx).address);
  }

  @Query(() => Viewer, {
    description: 'The caller: account or API client, roles, wards, permissions.',
  })
  @Authenticated()
  async me(@CurrentActor() actor: Actor): Promise<Viewer> {
    const reach = visibleReach(actor);
    const base = {
      municipalityId: actor.municipalityId,
      permissions: permissionsOf(actor),
      wardIds: reach.allWards ? [] : [...reach.wardIds].sort(),
    };
    if (actor.type === 'API_CLIENT') {
      const apiClient = await this.dataSource
        .getRepository(ApiClient)
        .findOneByOrFail({ id: actor.id });
      return { ...base, actorType: ActorType.API_CLIENT, apiClient, staffAccount: null, roles: [] };
    }
    const staffAccount = await this.dataSource
      .getRepository(StaffAccount)
      .findOneByOrFail({ id: actor.id });
    const roles = actor.grants.map((grant: RoleGrant) => Object.assign(new RoleGrantRow(), grant));
    return { ...base, actorType: ActorType.STAFF, staffAccount, apiClient: null, roles };
  }
}
