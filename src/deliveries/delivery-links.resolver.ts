import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { canAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { ServiceRequest } from '../requests/entities/service-request.entity';
import { RequestLoaders } from '../requests/queue/request.loaders';
import { Delivery, UNDER_WAY_STATUSES } from './delivery.entity';
import { DeliveryLoaders } from './delivery.loaders';

/** From a delivery to its request, batched per HTTP request. */
@Resolver(() => Delivery)
export class DeliveryRequestResolver {
  constructor(private readonly requestLoaders: RequestLoaders) {}

  @ResolveField(() => ServiceRequest, {
    nullable: true,
    description:
      'The request delivered; null for callers who may not read requests (field agents see `trackingNumber`).',
  })
  async request(
    @Parent() delivery: Delivery,
    @Context() ctx: GraphQLContext,
    @CurrentActor() actor: Actor,
  ): Promise<ServiceRequest | null> {
    if (!canAccess(actor, delivery, Permission.REQUESTS_READ)) return null;
    return ctx.loaders.get(this.requestLoaders.requestById).load(delivery.requestId);
  }
}

/** From a request to its deliveries (the request was already checked readable). */
@Resolver(() => ServiceRequest)
export class RequestDeliveriesResolver {
  constructor(private readonly loaders: DeliveryLoaders) {}

  @ResolveField(() => [Delivery], {
    description:
      'Every delivery of the request, oldest first (a failed one is followed by the next).',
  })
  deliveries(@Parent() request: ServiceRequest, @Context() ctx: GraphQLContext) {
    return ctx.loaders.get(this.loaders.byRequest).load(request.id);
  }

  @ResolveField(() => Delivery, {
    nullable: true,
    description: 'The delivery under way (scheduled, on the way or locked); null when none is.',
  })
  async currentDelivery(
    @Parent() request: ServiceRequest,
    @Context() ctx: GraphQLContext,
  ): Promise<Delivery | null> {
    const all = await ctx.loaders.get(this.loaders.byRequest).load(request.id);
    return all.find((d) => UNDER_WAY_STATUSES.includes(d.status)) ?? null;
  }
}
