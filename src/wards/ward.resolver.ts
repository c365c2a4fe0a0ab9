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
import { NotFoundError } from '../common/errors/app.error';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { CreateWardInput } from './dto/create-ward.input';
import { DeactivateWardInput } from './dto/deactivate-ward.input';
import { SetWardCouncillorStatusInput } from './dto/set-councillor-status.input';
import { UpdateWardInput } from './dto/update-ward.input';
import { WardConnection } from './dto/ward.connection';
import { WardFilter } from './dto/ward-filter.input';
import { WardPayload } from './dto/ward.payloads';
import { CouncillorStatusChange } from './entities/councillor-status-change.entity';
import { Municipality } from './entities/municipality.entity';
import { Ward } from './entities/ward.entity';
import { WardLoaders } from './ward.loaders';
import { WardsService } from './wards.service';

@Resolver(() => Ward)
export class WardResolver {
  constructor(
    private readonly wardService: WardsService,
    private readonly loaders: WardLoaders,
  ) {}

  @Query(() => Ward, { description: 'One ward of the caller’s municipality; NOT_FOUND otherwise.' })
  @Allow(Permission.WARDS_READ)
  ward(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The ward ID.' }) id: string,
  ): Promise<Ward> {
    return this.wardService.getById(actor, id);
  }

  @Query(() => WardConnection, {
    description: 'Wards of the caller’s municipality by ward number, keyset-paginated.',
  })
  @Allow(Permission.WARDS_READ)
  wards(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => WardFilter, nullable: true, description: 'Conditions to match.' })
    filter: WardFilter | null,
    @Args() { first, after }: PageArgs,
  ): Promise<WardConnection> {
    return this.wardService.list(actor, filter, first, after);
  }

  @Mutation(() => WardPayload, {
    description: 'Adds a ward to the caller’s municipality (administrators).',
  })
  @Allow(Permission.WARDS_MANAGE)
  createWard(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateWardInput,
  ): Promise<WardPayload> {
    return this.wardService.create(actor, input);
  }

  @Mutation(() => WardPayload, {
    description: 'Changes a ward (administrators; optimistic locking on `version`).',
  })
  @Allow(Permission.WARDS_MANAGE)
  updateWard(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateWardInput,
  ): Promise<WardPayload> {
    return this.wardService.update(actor, input);
  }

  @Mutation(() => WardPayload, {
    description:
      'Records a vacancy of the councillor seat, or its end, keeping the history (administrators).',
  })
  @Allow(Permission.WARDS_MANAGE)
  setWardCouncillorStatus(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetWardCouncillorStatusInput,
  ): Promise<WardPayload> {
    return this.wardService.setCouncillorStatus(actor, input);
  }

  @Mutation(() => WardPayload, {
    description: 'Takes a ward out of service (administrators; idempotent).',
  })
  @Allow(Permission.WARDS_MANAGE)
  deactivateWard(
    @CurrentActor() actor: Actor,
    @Args('input') input: DeactivateWardInput,
  ): Promise<WardPayload> {
    return this.wardService.deactivate(actor, input);
  }

  @ResolveField(() => Municipality, { description: 'The municipality the ward belongs to.' })
  async municipality(@Parent() ward: Ward, @Context() ctx: GraphQLContext): Promise<Municipality> {
    const municipality = await ctx.loaders
      .get(this.loaders.municipalityById)
      .load(ward.municipalityId);
    if (!municipality) throw new NotFoundError('Municipality');
    return municipality;
  }

  @ResolveField(() => [CouncillorStatusChange], {
    description: 'Every recorded change of councillor status, oldest first.',
  })
  councillorStatusHistory(
    @Parent() ward: Ward,
    @Context() ctx: GraphQLContext,
  ): Promise<CouncillorStatusChange[]> {
    return ctx.loaders.get(this.loaders.statusHistoryByWard).load(ward.id);
  }
}
