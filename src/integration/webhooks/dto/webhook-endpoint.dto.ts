import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../../common/errors/user-error.type';
import { WebhookEndpoint } from '../webhook.entities';
import { WEBHOOK_EVENT_TYPES } from '../webhooks.service';

@InputType({ description: 'A URL to call when events happen.' })
export class CreateWebhookEndpointInput {
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
export class CreateWebhookEndpointPayload {
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
