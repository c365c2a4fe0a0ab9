import { ApiClientConnection } from './dto/auth.connections';
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
import { ApiClientsService } from './api-clients.service';
import { AuthLoaders } from './auth.loaders';
import {
  ApiClientPayload,
  ApiClientRefInput,
  CreateApiClientInput,
  CreateApiClientPayload,
} from './dto/api-client.dto';
import { ApiClient } from './entities/api-client.entity';

@Resolver(() => ApiClient)
export class ApiClientResolver {
  constructor(
    private readonly clients: ApiClientsService,
    private readonly loaders: AuthLoaders,
  ) {}

  @Query(() => ApiClientConnection, {
    description: 'API clients of the municipality, oldest first.',
  })
  @Allow(Permission.API_CLIENTS_MANAGE)
  apiClients(
    @CurrentActor() actor: Actor,
    @Args() { first, after }: PageArgs,
  ): Promise<ApiClientConnection> {
    return this.clients.list(actor, first, after);
  }

  @Mutation(() => CreateApiClientPayload, {
    description: 'Registers an integration client and returns its key, once.',
  })
  @Allow(Permission.API_CLIENTS_MANAGE)
  createApiClient(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateApiClientInput,
  ): Promise<CreateApiClientPayload> {
    return this.clients.create(actor, input);
  }

  @Mutation(() => ApiClientPayload, { description: 'Revokes a client’s key at once (idempotent).' })
  @Allow(Permission.API_CLIENTS_MANAGE)
  revokeApiClient(
    @CurrentActor() actor: Actor,
    @Args('input') input: ApiClientRefInput,
  ): Promise<ApiClientPayload> {
    return this.clients.revoke(actor, input);
  }

  @ResolveField(() => [ID], {
    description: 'Wards the client is restricted to; empty: every ward.',
  })
  wardIds(@Parent() client: ApiClient, @Context() ctx: GraphQLContext): Promise<string[]> {
    return ctx.loaders.get(this.loaders.wardIdsByApiClient).load(client.id);
  }
}
