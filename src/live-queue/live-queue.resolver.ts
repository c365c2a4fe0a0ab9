import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { LiveEventsService } from './live-events.service';
import { RequestEventMessage } from './dto/request-event-message.type';

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
