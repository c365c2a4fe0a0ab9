import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
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

  @Query(() => Ward, { description: 'One ward by ID; NOT_FOUND when there is none.' })
  ward(@Args('id', { type: () => ID, description: 'The ward ID.' }) id: string): Promise<Ward> {
    return this.wardService.getById(id);
  }

  @Query(() => WardConnection, {
    description: 'Wards by municipality and ward number, keyset-paginated.',
  })
  wards(
    @Args('filter', { type: () => WardFilter, nullable: true, description: 'Conditions to match.' })
    filter: WardFilter | null,
    @Args('first', {
      type: () => Int,
      nullable: true,
      description: 'Page size: default 20, at most 100 (larger values are capped).',
    })
    first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'Cursor to continue after.' })
    after: string | null,
  ): Promise<WardConnection> {
    return this.wardService.list(filter, first, after);
  }

  @Mutation(() => WardPayload, { description: 'Adds a ward to a municipality.' })
  createWard(@Args('input') input: CreateWardInput): Promise<WardPayload> {
    return this.wardService.create(input);
  }

  @Mutation(() => WardPayload, { description: 'Changes a ward (optimistic locking on `version`).' })
  updateWard(@Args('input') input: UpdateWardInput): Promise<WardPayload> {
    return this.wardService.update(input);
  }

  @Mutation(() => WardPayload, {
    description: 'Records a vacancy of the councillor seat, or its end, and keeps the history.',
  })
  setWardCouncillorStatus(
    @Args('input') input: SetWardCouncillorStatusInput,
  ): Promise<WardPayload> {
    return this.wardService.setCouncillorStatus(input);
  }

  @Mutation(() => WardPayload, { description: 'Takes a ward out of service (idempotent).' })
  deactivateWard(@Args('input') input: DeactivateWardInput): Promise<WardPayload> {
    return this.wardService.deactivate(input);
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
