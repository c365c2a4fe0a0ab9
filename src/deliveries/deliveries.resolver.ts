import {
  Args,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { canAccess } from '../common/access/access-control';
import { Allow, Authenticated } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { UserError } from '../common/errors/user-error.type';
import { DeliveriesService } from './deliveries.service';
import { Delivery, DeliveryFailure, DeliveryStatus, UNDER_WAY_STATUSES } from './delivery.entity';
import { DeliveryRecipient } from './delivery-recipient.type';

@InputType({ description: 'A delivery to plan for a READY request delivered to the door.' })
class ScheduleDeliveryInput {
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
class ConfirmDeliveryInput {
  @Field(() => ID, { description: 'The delivery.' })
  deliveryId!: string;

  @Field({ description: 'The six digits the resident received (Bengali digits too).' })
  code!: string;
}

@InputType({ description: 'A hand-over that did not happen.' })
class FailDeliveryInput {
  @Field(() => ID, { description: 'The delivery.' })
  deliveryId!: string;

  @Field(() => DeliveryFailure, { description: 'Why.' })
  reason!: DeliveryFailure;

  @Field(() => String, { nullable: true, description: 'What happened, briefly.' })
  note?: string | null;
}

@InputType({ description: 'Calls a delivery off.' })
class CancelDeliveryInput {
  @Field(() => ID, { description: 'The delivery.' })
  deliveryId!: string;

  @Field({ description: 'Why.' })
  reason!: string;
}

@ObjectType({ description: 'Result of a delivery mutation.' })
class DeliveryPayloadType {
  @Field(() => Delivery, { nullable: true, description: 'The delivery.' })
  delivery!: Delivery | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@Resolver(() => Delivery)
export class DeliveriesResolver {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Query(() => [Delivery], {
    description: 'The caller’s own deliveries (field agents), by day and time.',
  })
  @Authenticated()
  myDeliveries(
    @CurrentActor() actor: Actor,
    @Args('date', {
      type: () => String,
      nullable: true,
      description: 'Only this day (YYYY-MM-DD).',
    })
    date: string | null,
    @Args('status', {
      type: () => DeliveryStatus,
      nullable: true,
      description: 'Only this status.',
    })
    status: DeliveryStatus | null,
  ) {
    return this.deliveries.mine(actor, date, status);
  }

  @Mutation(() => DeliveryPayloadType, {
    description:
      'Plans a delivery in the ward’s service hours; the request goes OUT_FOR_DELIVERY and the resident is told the day and window (the code comes when the agent starts the trip).',
  })
  @Allow(Permission.REQUESTS_WRITE)
  scheduleDelivery(@CurrentActor() actor: Actor, @Args('input') input: ScheduleDeliveryInput) {
    return this.deliveries.schedule(actor, input);
  }

  @Mutation(() => DeliveryPayloadType, {
    description:
      'The assigned field agent sets out: the delivery is ON_THE_WAY and the resident is told so and sent the one-time code.',
  })
  @Allow(Permission.DELIVERIES_CARRY)
  startDeliveryTrip(
    @CurrentActor() actor: Actor,
    @Args('deliveryId', { type: () => ID, description: 'The delivery.' }) deliveryId: string,
  ) {
    return this.deliveries.startTrip(actor, deliveryId);
  }

  @Mutation(() => DeliveryPayloadType, {
    description:
      'Sends the resident a new code once the trip started; the old one stops working, the tries start again and a LOCKED delivery is ON_THE_WAY again. Audited.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  resendDeliveryCode(
    @CurrentActor() actor: Actor,
    @Args('deliveryId', { type: () => ID, description: 'The delivery.' }) deliveryId: string,
  ) {
    return this.deliveries.resendCode(actor, deliveryId);
  }

  @Mutation(() => DeliveryPayloadType, {
    description: 'The former name of `resendDeliveryCode`; does the same.',
    deprecationReason: 'Use resendDeliveryCode.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  reissueDeliveryCode(
    @CurrentActor() actor: Actor,
    @Args('deliveryId', { type: () => ID, description: 'The delivery.' }) deliveryId: string,
  ) {
    return this.deliveries.resendCode(actor, deliveryId);
  }

  @Mutation(() => DeliveryPayloadType, {
    description: 'Calls a delivery off; the request returns to READY.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  cancelDelivery(@CurrentActor() actor: Actor, @Args('input') input: CancelDeliveryInput) {
    return this.deliveries.cancel(actor, input);
  }

  @Mutation(() => DeliveryPayloadType, {
    description: `The assigned field agent confirms the hand-over with the resident's code (5 tries); the request becomes DELIVERED.`,
  })
  @Allow(Permission.DELIVERIES_CARRY)
  confirmDelivery(@CurrentActor() actor: Actor, @Args('input') input: ConfirmDeliveryInput) {
    return this.deliveries.confirm(actor, input);
  }

  @Mutation(() => DeliveryPayloadType, {
    description:
      'The assigned field agent records a failed attempt; the request returns to READY for another delivery.',
  })
  @Allow(Permission.DELIVERIES_CARRY)
  failDelivery(@CurrentActor() actor: Actor, @Args('input') input: FailDeliveryInput) {
    return this.deliveries.fail(actor, input);
  }

  @ResolveField(() => DeliveryRecipient, {
    nullable: true,
    description:
      'Who to hand it to. Shown to the delivery’s field agent while it is under way (SCHEDULED, ON_THE_WAY or LOCKED), and to staff who may read the ward’s residents; null otherwise, and once the resident’s data was erased.',
  })
  recipient(@Parent() delivery: Delivery, @CurrentActor() actor: Actor): DeliveryRecipient | null {
    if (!delivery.recipientName) return null;
    const carrying =
      actor.type === 'STAFF' &&
      actor.id === delivery.agentId &&
      UNDER_WAY_STATUSES.includes(delivery.status);
    if (!carrying && !canAccess(actor, delivery, Permission.RESIDENTS_READ)) return null;
    return { name: delivery.recipientName, phone: delivery.recipientPhone };
  }
}
