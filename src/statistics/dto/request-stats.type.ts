import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { RequestChannel, RequestStatus } from '../../requests/entities/request-enums';

@ObjectType({ description: 'How many requests of the period are in one status now.' })
export class StatusCount {
  @Field(() => RequestStatus, { description: 'The status the requests are in now.' })
  status!: RequestStatus;

  @Field(() => Int, { description: 'Requests of the period in this status.' })
  count!: number;
}

@ObjectType({ description: 'How many requests of the period asked for one service type.' })
export class ServiceTypeCount {
  @Field(() => ID, { description: 'The service type.' })
  serviceTypeId!: string;

  @Field({ description: 'Its code, e.g. `RESIDENCE_CERT`.' })
  code!: string;

  @Field({ description: 'Its current name in Bengali.' })
  nameBn!: string;

  @Field({ description: 'Its current name in English.' })
  nameEn!: string;

  @Field(() => Int, { description: 'Requests of the period for this service type.' })
  count!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Average rating (1–5) the residents gave these requests; null when none rated.',
  })
  averageRating!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0–1) of the requests asked for a rating that were rated; null when none asked.',
  })
  shareRated!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share (0–1) of these requests reopened at least once; null when there are none.',
  })
  reopenRate!: number | null;
}

@ObjectType({ description: 'How many requests of the period came through one channel.' })
export class ChannelCount {
  @Field(() => RequestChannel, { description: 'How the requests reached the ward.' })
  channel!: RequestChannel;

  @Field(() => Int, { description: 'Requests of the period through this channel.' })
  count!: number;
}

@ObjectType({
  description:
    'Hours from making a request to its outcome (`completedAt`), over the requests of the period that have one; continuous percentiles (PostgreSQL `percentile_cont`, interpolated), rounded to 0.01 h.',
})
export class TurnaroundHours {
  @Field(() => Float, {
    nullable: true,
    description: 'Median (50th percentile); null when no request of the period has an outcome.',
  })
  median!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '90th percentile; null when no request of the period has an outcome.',
  })
  p90!: number | null;
}

@ObjectType({
  description:
    'Doorstep deliveries in the period, counted from the request timeline (DISPATCH and HAND_OVER steps)',
})
export class DeliveryCounts {
  @Field(() => Int, {
    description: 'Times a request was sent out to the door (`DISPATCH` steps in the period).',
  })
  attempted!: number;

  @Field(() => Int, {
    description:
      'Hand-overs at the door: `HAND_OVER` steps in the period taken from `OUT_FOR_DELIVERY` (hand-overs at the office are not counted).',
  })
  succeeded!: number;
}

@ObjectType({
  description:
    'Request statistics of one ward or of the caller’s wards of a municipality. The period counts requests by when they were made (`createdAt` in Indian calendar days); statuses are as they are now.',
})
export class RequestStats {
  @Field({ description: 'First day of the period (Indian calendar, `YYYY-MM-DD`).' })
  from!: string;

  @Field({ description: 'Last day of the period, included.' })
  to!: string;

  @Field(() => Int, { description: 'Requests made in the period.' })
  total!: number;

  @Field(() => [StatusCount], {
    description:
      'Requests of the period by their current status, in workflow order; statuses with none are left out.',
  })
  byStatus!: StatusCount[];

  @Field(() => [ServiceTypeCount], {
    description: 'Requests of the period by service type, most asked first (then by code).',
  })
  byServiceType!: ServiceTypeCount[];

  @Field(() => [ChannelCount], {
    description: 'Requests of the period by channel; channels with none are left out.',
  })
  byChannel!: ChannelCount[];

  @Field(() => Int, {
    description:
      'Requests of the period that have reached an outcome (delivered, resolved, closed, rejected or cancelled).',
  })
  completed!: number;

  @Field(() => TurnaroundHours, { description: 'How long the completed ones took.' })
  turnaroundHours!: TurnaroundHours;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0..1) of the completed requests of the period whose outcome came by their SLA due time; null when none is completed.',
  })
  completedWithinSlaShare!: number | null;

  @Field(() => Int, {
    description:
      'Requests overdue right now, whatever the period: no outcome yet, SLA clock running (not paused) and past its due time.',
  })
  overdueNow!: number;

  @Field(() => DeliveryCounts, { description: 'Doorstep deliveries in the period.' })
  deliveries!: DeliveryCounts;
}
