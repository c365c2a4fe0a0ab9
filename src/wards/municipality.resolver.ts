import { PageArgs } from '../common/pagination/page.args';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { BadUserInputError } from '../common/errors/app.error';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { decodeCursor } from '../common/pagination/cursor';
import { pageOfLoaded, pageSize } from '../common/pagination/page-window';
import { MunicipalityConnection, WardConnection } from './dto/ward.connection';
import { Municipality } from './entities/municipality.entity';
import { MunicipalitiesService } from './municipalities.service';
import { WardLoaders } from './ward.loaders';
import { wardCursor, wardSortKey } from './wards.service';

@Resolver(() => Municipality)
export class MunicipalityResolver {
  constructor(
    private readonly municipalityService: MunicipalitiesService,
    private readonly loaders: WardLoaders,
  ) {}

  @Query(() => Municipality, {
    description:
      'The caller’s municipality by ID or by code (give exactly one); NOT_FOUND for others.',
  })
  @Allow(Permission.WARDS_READ)
  municipality(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, nullable: true, description: 'The municipality ID.' })
    id: string | null,
    @Args('code', { type: () => String, nullable: true, description: 'Its code, e.g. `BSR`.' })
    code: string | null,
  ): Promise<Municipality> {
    if (Boolean(id) === Boolean(code)) {
      throw new BadUserInputError('Give exactly one of `id` and `code`', id ? 'code' : 'id');
    }
    return this.municipalityService.getVisible(actor, { id, code });
  }

  @Query(() => MunicipalityConnection, { description: 'The municipalities the caller belongs to.' })
  @Allow(Permission.WARDS_READ)
  municipalities(
    @CurrentActor() actor: Actor,
    @Args() { first, after }: PageArgs,
  ): Promise<MunicipalityConnection> {
    return this.municipalityService.list(actor, first, after);
  }

  @ResolveField(() => WardConnection, { description: 'The wards, in ward-number order.' })
  async wards(
    @Parent() municipality: Municipality,
    @Context() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
  ): Promise<WardConnection> {
    const size = pageSize(first);
    const afterKey = after ? decodeCursor(after, wardCursor) : null;
    const all = await ctx.loaders.get(this.loaders.wardsByMunicipality).load(municipality.id);
    return pageOfLoaded(all, size, wardSortKey, afterKey);
  }
}
