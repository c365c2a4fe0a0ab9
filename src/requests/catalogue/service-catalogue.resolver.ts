import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { BadUserInputError } from '../../common/errors/app.error';
import { Allow } from '../../common/access/access-policy.decorator';
import { Actor } from '../../common/access/actor';
import { CurrentActor } from '../../common/access/current-actor.decorator';
import { Permission } from '../../common/access/permission';
import { PageArgs } from '../../common/pagination/page.args';
import {
  CreateServiceTypeInput,
  ServiceType,
  ServiceTypeFilter,
  ServiceTypePayload,
  UpdateServiceTypeInput,
} from '../dto/service-type.dto';
import { ServiceCatalogueService } from './service-catalogue.service';
import { ServiceTypeConnection } from '../dto/service-type.dto';

@Resolver(() => ServiceType)
export class ServiceCatalogueResolver {
  constructor(private readonly catalogue: ServiceCatalogueService) {}

  @Query(() => ServiceTypeConnection, {
    description: 'The municipality’s service catalogue, by code.',
  })
  @Allow(Permission.CATALOGUE_READ)
  serviceTypes(
    @CurrentActor() actor: Actor,
    @Args('filter', {
      type: () => ServiceTypeFilter,
      nullable: true,
      description: 'Conditions to match.',
    })
    filter: ServiceTypeFilter | null,
    @Args() { first, after }: PageArgs,
  ): Promise<ServiceTypeConnection> {
    return this.catalogue.list(actor, filter, first, after);
  }

  @Query(() => ServiceType, { description: 'One service type by ID or code (give exactly one).' })
  @Allow(Permission.CATALOGUE_READ)
  serviceType(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, nullable: true, description: 'The service type ID.' })
    id: string | null,
    @Args('code', {
      type: () => String,
      nullable: true,
      description: 'Its code, e.g. `RESIDENCE_CERT`.',
    })
    code: string | null,
  ): Promise<ServiceType> {
    if (Boolean(id) === Boolean(code)) {
      throw new BadUserInputError('Give exactly one of `id` and `code`', id ? 'code' : 'id');
    }
    return this.catalogue.getVisible(actor, { id, code });
  }

  @Mutation(() => ServiceTypePayload, {
    description: 'Adds a service type to the catalogue (administrators).',
  })
  @Allow(Permission.CATALOGUE_MANAGE)
  createServiceType(@CurrentActor() actor: Actor, @Args('input') input: CreateServiceTypeInput) {
    return this.catalogue.create(actor, input);
  }

  @Mutation(() => ServiceTypePayload, {
    description:
      'Changes a service type: a new definition becomes the next version; requests already made keep theirs.',
  })
  @Allow(Permission.CATALOGUE_MANAGE)
  updateServiceType(@CurrentActor() actor: Actor, @Args('input') input: UpdateServiceTypeInput) {
    return this.catalogue.update(actor, input);
  }
}
