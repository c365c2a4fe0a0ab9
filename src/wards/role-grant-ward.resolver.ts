import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Viewer } from '../auth/dto/viewer.type';
import { RoleGrantRow } from '../auth/entities/role-grant.entity';
import { NotFoundError } from '../common/errors/app.error';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { Municipality } from './entities/municipality.entity';
import { Ward } from './entities/ward.entity';
import { WardLoaders } from './ward.loaders';

/** Adds ward objects to the auth module's types (wards depend on auth, never the reverse). */
@Resolver(() => RoleGrantRow)
export class RoleGrantWardResolver {
  constructor(private readonly loaders: WardLoaders) {}

  @ResolveField(() => Ward, { nullable: true, description: 'The ward of a ward role.' })
  ward(@Parent() grant: RoleGrantRow, @Context() ctx: GraphQLContext): Promise<Ward | null> {
    return grant.wardId
      ? ctx.loaders.get(this.loaders.wardById).load(grant.wardId)
      : Promise.resolve(null);
  }
}

@Resolver(() => Viewer)
export class ViewerMunicipalityResolver {
  constructor(private readonly loaders: WardLoaders) {}

  @ResolveField(() => Municipality, { description: 'The caller’s municipality.' })
  async municipality(
    @Parent() viewer: Viewer,
    @Context() ctx: GraphQLContext,
  ): Promise<Municipality> {
    const found = await ctx.loaders.get(this.loaders.municipalityById).load(viewer.municipalityId);
    if (!found) throw new NotFoundError('Municipality');
    return found;
  }
}
