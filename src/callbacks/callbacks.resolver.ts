import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { canAccess } from '../common/access/access-control';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { PageArgs } from '../common/pagination/page.args';
import { ServiceRequest } from '../requests/entities/service-request.entity';
import { Resident } from '../residents/entities/resident.entity';
import { ResidentLoaders } from '../residents/resident.loaders';
import { CallbacksService } from './callbacks.service';
import {
  CallbackTaskConnection,
  CallbackTaskFilter,
  CallbackTaskPayload,
  MissedCallNumberPayload,
  RecordCallbackOutcomeInput,
  SetMissedCallNumberInput,
} from './dto/callback.dto';
import { CallbackAttempt } from './entities/callback-attempt.entity';
import { CallbackTask } from './entities/callback-task.entity';

@Resolver(() => CallbackTask)
export class CallbacksResolver {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly residentLoaders: ResidentLoaders,
  ) {}

  @Query(() => CallbackTaskConnection, {
    description: 'Missed calls to return, newest first, in the wards the caller may read.',
  })
  @Allow(Permission.REQUESTS_READ)
  callbackTasks(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => CallbackTaskFilter, nullable: true })
    filter: CallbackTaskFilter | null,
    @Args() page: PageArgs,
  ) {
    return this.callbacks.list(actor, filter, page.first, page.after);
  }

  @Mutation(() => CallbackTaskPayload, {
    description:
      'Records an attempt to call a missed caller back: three unanswered attempts close the task; a caller reached can get a request (and, when unknown, a resident record) in the same step.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  recordCallbackOutcome(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordCallbackOutcomeInput,
  ): Promise<CallbackTaskPayload> {
    return this.callbacks.recordOutcome(actor, input);
  }

  @Mutation(() => MissedCallNumberPayload, {
    description: 'Sets a ward’s missed-call number (the provider’s number residents ring).',
  })
  @Allow(Permission.WARDS_MANAGE)
  setMissedCallNumber(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetMissedCallNumberInput,
  ): Promise<MissedCallNumberPayload> {
    return this.callbacks.setNumber(actor, input);
  }

  @ResolveField(() => Boolean, { description: 'Open and past its due time.' })
  overdue(@Parent() task: CallbackTask): boolean {
    return task.status === 'OPEN' && task.dueAt.getTime() < Date.now();
  }

  @ResolveField(() => Resident, {
    nullable: true,
    description: 'The resident with the calling number, if known and readable by the caller.',
  })
  async resident(
    @Parent() task: CallbackTask,
    @Context() ctx: GraphQLContext,
    @CurrentActor() actor: Actor,
  ): Promise<Resident | null> {
    if (!task.residentId) return null;
    const resident = await ctx.loaders.get(this.residentLoaders.residentById).load(task.residentId);
    return resident && canAccess(actor, resident, Permission.RESIDENTS_READ) ? resident : null;
  }

  @ResolveField(() => [ServiceRequest], {
    description: 'The known caller’s open requests (what they are likely calling about).',
  })
  openRequests(@Parent() task: CallbackTask): Promise<ServiceRequest[]> {
    return task.residentId ? this.callbacks.openRequestsOf(task.residentId) : Promise.resolve([]);
  }

  @ResolveField(() => [CallbackAttempt], { description: 'Attempts to call back, oldest first.' })
  attempts(@Parent() task: CallbackTask): Promise<CallbackAttempt[]> {
    return this.callbacks.attemptsOf(task.id);
  }
}
