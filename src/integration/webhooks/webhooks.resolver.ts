import {
  Args,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Allow } from '../../common/access/access-policy.decorator';
import { Actor } from '../../common/access/actor';
import { CurrentActor } from '../../common/access/current-actor.decorator';
import { Permission } from '../../common/access/permission';
import { UserError } from '../../common/errors/user-error.type';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities';
import { WEBHOOK_EVENT_TYPES, WebhooksService } from './webhooks.service';

@InputType({ description: 'A URL to call when events happen.' })
class CreateWebhookEndpointInput {
  @Field({ description: `https URL (http on loopback only outside production).` })
  url!: string;

  @Field(() => [String], { description: `Event types: ${WEBHOOK_EVENT_TYPES.join(', ')}.` })
  eventTypes!: string[];

  @Field(() => [ID], {
    nullable: true,
    description: 'Only events of these wards (default: all the caller reaches).',
  })
  wardIds?: string[] | null;
}

@ObjectType({ description: 'A new endpoint and its signing secret (shown this once).' })
class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { nullable: true, description: 'The endpoint.' })
  endpoint!: WebhookEndpoint | null;

  @Field(() => String, {
    nullable: true,
    description: 'HMAC secret for verifying deliveries. Store it now: it is not shown again.',
  })
  secret!: string | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

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
