import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { canAccess } from '../common/access/access-control';
import { Allow, Authenticated } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { DeliveriesService } from './deliveries.service';
import { Delivery, DeliveryStatus, UNDER_WAY_STATUSES } from './delivery.entity';
import { DeliveryRecipient } from './delivery-recipient.type';
import {
  ScheduleDeliveryInput,
  ConfirmDeliveryInput,
  FailDeliveryInput,
  CancelDeliveryInput,
  DeliveryPayloadType,
} from './dto/delivery.dto';

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
