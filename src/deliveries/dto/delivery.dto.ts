import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { Delivery, DeliveryFailure } from '../delivery.entity';

@InputType({ description: 'A delivery to plan for a READY request delivered to the door.' })
export class ScheduleDeliveryInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field(() => Int, { description: 'The request’s version as read.' })
  version!: number;

  @Field({ description: 'Day (YYYY-MM-DD, India; Bengali digits too), on a day the ward works.' })
  date!: string;

  @Field({ description: 'Window start, HH:MM (India), in the future and within service hours.' })
  windowStart!: string;

  @Field({ description: 'Window end, HH:MM (India), within the ward’s service hours.' })
  windowEnd!: string;

  @Field(() => ID, { description: 'A field agent of the request’s ward.' })
  agentId!: string;
}

@InputType({ description: 'The resident’s one-time code, given at the door.' })
export class ConfirmDeliveryInput {
  @Field(() => ID, { description: 'The delivery.' })
  deliveryId!: string;

  @Field({ description: 'The six digits the resident received (Bengali digits too).' })
  code!: string;
}

@InputType({ description: 'A hand-over that did not happen.' })
export class FailDeliveryInput {
  @Field(() => ID, { description: 'The delivery.' })
  deliveryId!: string;

  @Field(() => DeliveryFailure, { description: 'Why.' })
  reason!: DeliveryFailure;

  @Field(() => String, { nullable: true, description: 'What happened, briefly.' })
  note?: string | null;
}

@InputType({ description: 'Calls a delivery off.' })
export class CancelDeliveryInput {
  @Field(() => ID, { description: 'The delivery.' })
  deliveryId!: string;

  @Field({ description: 'Why.' })
  reason!: string;
}

@ObjectType({ description: 'Result of a delivery mutation.' })
export class DeliveryPayloadType {
  @Field(() => Delivery, { nullable: true, description: 'The delivery.' })
  delivery!: Delivery | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
