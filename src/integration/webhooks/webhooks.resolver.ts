import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '../../common/access/access-policy.decorator';
import { Actor } from '../../common/access/actor';
import { CurrentActor } from '../../common/access/current-actor.decorator';
import { Permission } from '../../common/access/permission';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities';
import { WebhooksService } from './webhooks.service';
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
} from './dto/webhook-endpoint.dto';

@Resolver(() => WebhookEndpoint)
export class WebhooksResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Query(() => [WebhookEndpoint], { description: 'Webhook endpoints (API clients: their own).' })
  @Allow(Permission.WEBHOOKS_MANAGE)
  webhookEndpoints(@CurrentActor() actor: Actor) {
    return this.webhooks.list(actor);
  }

  @Query(() => WebhookEndpoint, { description: 'One endpoint, with its deliveries and attempts.' })
  @Allow(Permission.WEBHOOKS_MANAGE)
  webhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The endpoint.' }) id: string,
  ) {
    return this.webhooks.getVisible(actor, id);
  }

  @Mutation(() => CreateWebhookEndpointPayload, {
    description: 'Registers an endpoint; the answer holds its secret, once.',
  })
  @Allow(Permission.WEBHOOKS_MANAGE)
  createWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateWebhookEndpointInput,
  ) {
    return this.webhooks.create(actor, input);
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a delivery again (same event id).' })
  @Allow(Permission.WEBHOOKS_MANAGE)
  redeliverWebhook(
    @CurrentActor() actor: Actor,
    @Args('deliveryId', { type: () => ID, description: 'The delivery.' }) deliveryId: string,
  ) {
    return this.webhooks.redeliver(actor, deliveryId);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Turns a disabled endpoint back on.' })
  @Allow(Permission.WEBHOOKS_MANAGE)
  enableWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The endpoint.' }) id: string,
  ) {
    return this.webhooks.enable(actor, id);
  }

  @Mutation(() => Boolean, { description: 'Removes an endpoint and its delivery history.' })
  @Allow(Permission.WEBHOOKS_MANAGE)
  deleteWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The endpoint.' }) id: string,
  ) {
    return this.webhooks.remove(actor, id);
  }

  @ResolveField(() => [WebhookDelivery], {
    description: 'The latest 100 deliveries, newest first.',
  })
  deliveries(@Parent() endpoint: WebhookEndpoint) {
    return this.webhooks.deliveriesOf(endpoint.id);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @ResolveField(() => [WebhookAttempt], {
    description: 'Every attempt (status code, time, answer), oldest first.',
  })
  attemptLog(@Parent() delivery: WebhookDelivery) {
    return this.webhooks.attemptsOf(delivery.id);
  }
}
