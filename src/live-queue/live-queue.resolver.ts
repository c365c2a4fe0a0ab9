import { Args, Context, Field, ID, ObjectType, Resolver, Subscription } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { RequestAction, RequestStatus } from '../requests/entities/request-enums';
import { LiveEventsService } from './live-events.service';

@ObjectType({ description: 'Something that just happened to a request, for the live queue.' })
class RequestEventMessage {
  @Field(() => ID, { description: 'The domain event.' })
  id!: string;

  @Field({
    description:
      '`request.created`, `request.status_changed`, `request.assigned` or `request.sla_breached`.',
  })
  type!: string;

  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field(() => ID, { description: 'Its ward.' })
  wardId!: string;

  @Field(() => String, { nullable: true, description: 'Its tracking number.' })
  trackingNumber!: string | null;

  @Field(() => RequestStatus, { nullable: true, description: 'Its status after the event.' })
  status!: RequestStatus | null;

  @Field(() => RequestStatus, { nullable: true, description: 'Status before (status changes).' })
  from!: RequestStatus | null;

  @Field(() => RequestAction, {
    nullable: true,
    description: 'The workflow step (status changes).',
  })
  action!: RequestAction | null;

  @Field(() => ID, { nullable: true, description: 'New assignee (assignments).' })
  assigneeId!: string | null;

  @Field({ description: 'When it was published.' })
  occurredAt!: Date;
}

@Resolver()
export class LiveQueueResolver {
  constructor(private readonly live: LiveEventsService) {}

  @Subscription(() => RequestEventMessage, {
    description:
      'The live queue over graphql-ws at /graphql: events of the caller’s wards (optionally only `wardIds`), after they commit, from every app instance.',
    resolve: (event: RequestEventMessage) => ({ ...event, occurredAt: new Date(event.occurredAt) }),
  })
  @Allow(Permission.REQUESTS_READ)
  requestEvents(
    @CurrentActor() actor: Actor,
    @Context() ctx: GraphQLContext,
    @Args('wardIds', { type: () => [ID], nullable: true, description: 'Only these wards.' })
    wardIds: string[] | null,
  ) {
    return this.live.subscribe(actor, wardIds, ctx.closed ?? new AbortController().signal);
  }
}
