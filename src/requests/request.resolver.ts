import {
  Args,
  Context,
  ID,
  Info,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { AuthLoaders } from '../auth/auth.loaders';
import { StaffAccount } from '../auth/entities/staff-account.entity';
import { canAccess } from '../common/access/access-control';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { actorIn, CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { asksField, asksPath } from '../common/graphql/asks-field';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { decodeCursor } from '../common/pagination/cursor';
import { PageArgs } from '../common/pagination/page.args';
import { pageOfLoaded, pageSize } from '../common/pagination/page-window';
import { Resident } from '../residents/entities/resident.entity';
import { ResidentLoaders } from '../residents/resident.loaders';
import { Ward } from '../wards/entities/ward.entity';
import { WardLoaders } from '../wards/ward.loaders';
import { z } from 'zod';
import {
  AddRequestAttachmentInput,
  AddRequestNoteInput,
  AssignRequestInput,
  CreateRequestInput,
  RequestFilter,
  RequestOrder,
  SetRequestPriorityInput,
  TransitionRequestInput,
} from './dto/request.inputs';
import {
  RequestAttachmentPayload,
  RequestConnection,
  RequestPayload,
  TimelineConnection,
  TimelineEntryPayload,
} from './dto/request.payloads';
import { RequestDocumentStatus } from './dto/request-document-status.type';
import { ServiceType } from './dto/service-type.dto';
import { RequestAttachment } from './entities/request-attachment.entity';
import { RequestAction } from './entities/request-enums';
import { ServiceRequest } from './entities/service-request.entity';
import { TimelineEntry } from './entities/timeline-entry.entity';
import { PageJoin, RequestQueueService } from './queue/request-queue.service';
import { RequestWorkflowService } from './request-workflow.service';
import { RequestLoaders } from './queue/request.loaders';
import { RequestsService } from './requests.service';
import { availableActions, COMPLETED_STATUSES } from './workflow/request-workflow';
import { RequestSla } from './dto/request-sla.type';

const timelineCursor = z.tuple([z.string(), z.uuid()]);
const timelineKey = (entry: TimelineEntry) => [entry.occurredAt.toISOString(), entry.id] as const;

/**
 * Field resolvers without arguments take graphql-js's own (parent, args, context) rather than
 * `@Parent()`/`@Context()`: Nest then hands graphql-js the method itself instead of building a
 * context for each call (pipes, parameter factories, a few promises) — 500 calls on a queue
 * page of 50 cards (pinned in test/requests/queue.e2e-spec.ts).
 */
@Resolver(() => ServiceRequest)
export class RequestResolver {
  constructor(
    private readonly requestsService: RequestsService,
    private readonly workflow: RequestWorkflowService,
    private readonly queue: RequestQueueService,
    private readonly loaders: RequestLoaders,
    private readonly wardLoaders: WardLoaders,
    private readonly residentLoaders: ResidentLoaders,
    private readonly authLoaders: AuthLoaders,
  ) {}

  @Query(() => ServiceRequest, {
    description: 'One request; NOT_FOUND outside the caller’s wards.',
  })
  @Allow(Permission.REQUESTS_READ)
  request(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The request.' }) id: string,
  ) {
    return this.requestsService.getVisible(actor, id);
  }

  @Query(() => ServiceRequest, {
    description: 'The request with this tracking number, written any way (`bsr-5-2627-42` too).',
  })
  @Allow(Permission.REQUESTS_READ)
  requestByTrackingNumber(
    @CurrentActor() actor: Actor,
    @Args('trackingNumber', { description: 'E.g. `BSR-05-2627-00042`, Bengali digits allowed.' })
    trackingNumber: string,
  ) {
    return this.requestsService.getByTrackingNumber(actor, trackingNumber);
  }

  @Query(() => RequestConnection, {
    description: 'The queue: requests of the caller’s wards, filtered and ordered (newest first).',
  })
  @Allow(Permission.REQUESTS_READ)
  async requests(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => RequestFilter, nullable: true, description: 'Conditions.' })
    filter: RequestFilter | null,
    @Args('orderBy', { type: () => RequestOrder, nullable: true, description: 'Order.' })
    orderBy: RequestOrder | null,
    @Args() { first, after }: PageArgs,
    @Info() info: GraphQLResolveInfo,
    @Context() ctx: GraphQLContext,
  ): Promise<RequestConnection> {
    // The requests' wards (the queue's ward column; residents are mostly of the same ward)
    // and residents come with the page, in its statement, when the screen shows them.
    const joins: PageJoin[] = [];
    const wards: Array<Ward | null> = [];
    const residents: Array<Resident | null> = [];
    if (
      asksPath(info, ['edges', 'node', 'ward']) ||
      asksPath(info, ['edges', 'node', 'resident', 'ward'])
    )
      joins.push({
        add: (query) => this.wardLoaders.joinWard(query, 'r.ward_id', 'joined_ward'),
        read: (row) => wards.push(this.wardLoaders.wardOfRow(row, 'joined_ward')),
      });
    if (asksPath(info, ['edges', 'node', 'resident']))
      joins.push({
        add: (query) =>
          this.residentLoaders.joinResident(query, 'r.resident_id', 'joined_resident'),
        read: (row) => residents.push(this.residentLoaders.residentOfRow(row, 'joined_resident')),
      });
    const page = await this.queue.list(
      actor,
      filter,
      orderBy,
      first,
      after,
      asksField(info, 'totalCount'),
      joins,
    );
    this.wardLoaders.primeWards(ctx.loaders, wards);
    this.residentLoaders.primeResidents(ctx.loaders, residents);
    return page;
  }

  @Mutation(() => RequestPayload, {
    description:
      'Makes a request on a resident’s behalf (to the resident’s ward). Send an idempotencyKey to make retries safe.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  createRequest(@CurrentActor() actor: Actor, @Args('input') input: CreateRequestInput) {
    return this.requestsService.create(actor, input);
  }

  @Mutation(() => RequestPayload, {
    description:
      'Takes a workflow step (docs/workflow.md). Illegal steps answer INVALID_TRANSITION; a stale version, CONFLICT with the current state.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  transitionRequest(@CurrentActor() actor: Actor, @Args('input') input: TransitionRequestInput) {
    return this.workflow.transition(actor, input);
  }

  @Mutation(() => RequestPayload, { description: 'Assigns a request to a member of its ward.' })
  @Allow(Permission.REQUESTS_WRITE)
  assignRequest(@CurrentActor() actor: Actor, @Args('input') input: AssignRequestInput) {
    return this.workflow.assign(actor, input);
  }

  @Mutation(() => RequestPayload, { description: 'Changes a request’s priority.' })
  @Allow(Permission.REQUESTS_WRITE)
  setRequestPriority(@CurrentActor() actor: Actor, @Args('input') input: SetRequestPriorityInput) {
    return this.workflow.setPriority(actor, input);
  }

  @Mutation(() => TimelineEntryPayload, {
    description: 'Adds an internal note, or a comment the resident is told, to the timeline.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  addRequestNote(@CurrentActor() actor: Actor, @Args('input') input: AddRequestNoteInput) {
    return this.workflow.addNote(actor, input);
  }

  @Mutation(() => RequestAttachmentPayload, {
    description: 'Attaches a file (already stored) to an open request.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  addRequestAttachment(
    @CurrentActor() actor: Actor,
    @Args('input') input: AddRequestAttachmentInput,
  ) {
    return this.workflow.addAttachment(actor, input);
  }

  @ResolveField(() => Ward, { description: 'The ward the request belongs to.' })
  async ward(request: ServiceRequest, _args: unknown, ctx: GraphQLContext): Promise<Ward> {
    const ward = await ctx.loaders.get(this.wardLoaders.wardById).load(request.wardId);
    if (!ward) throw new NotFoundError('Ward');
    return ward;
  }

  @ResolveField(() => Resident, {
    nullable: true,
    description: 'The resident who asked; null for callers who may not read residents.',
  })
  async resident(
    request: ServiceRequest,
    _args: unknown,
    ctx: GraphQLContext,
  ): Promise<Resident | null> {
    const actor = actorIn(ctx);
    const resident = await ctx.loaders
      .get(this.residentLoaders.residentById)
      .load(request.residentId);
    return resident && canAccess(actor, resident, Permission.RESIDENTS_READ) ? resident : null;
  }

  @ResolveField(() => ServiceType, {
    description: 'The service asked for, as it was defined when the request was made.',
  })
  serviceType(request: ServiceRequest, _args: unknown, ctx: GraphQLContext) {
    return ctx.loaders.get(this.loaders.serviceTypeAsMade).load(request);
  }

  @ResolveField(() => StaffAccount, {
    nullable: true,
    description:
      'Who works on it; null when unassigned, and for API clients (no scope reads staff accounts).',
  })
  async assignee(
    request: ServiceRequest,
    _args: unknown,
    ctx: GraphQLContext,
  ): Promise<StaffAccount | null> {
    const actor = actorIn(ctx);
    // Staff personal data (username, phone, roles, last sign-in) is masked like residents':
    // colleagues in the municipality see who works on a request, an integration does not.
    if (!request.assigneeId || actor.type !== 'STAFF') return null;
    return ctx.loaders.get(this.authLoaders.accountById).load(request.assigneeId);
  }

  @ResolveField(() => RequestSla, { description: 'The promised time and where the clock stands.' })
  sla(request: ServiceRequest): RequestSla {
    const completed = COMPLETED_STATUSES.includes(request.status);
    return {
      dueAt: request.slaDueAt,
      paused: request.slaPausedAt !== null,
      overdue: !completed && !request.slaPausedAt && request.slaDueAt.getTime() < Date.now(),
      met: completed && request.completedAt ? request.completedAt <= request.slaDueAt : null,
    };
  }

  @ResolveField(() => [RequestAttachment], { description: 'Files, oldest first.' })
  attachments(request: ServiceRequest, _args: unknown, ctx: GraphQLContext) {
    return ctx.loaders.get(this.loaders.attachmentsByRequest).load(request.id);
  }

  @ResolveField(() => [RequestDocumentStatus], {
    description:
      'The documents the service asks for (as defined when the request was made): attached, waived or missing.',
  })
  async documents(
    request: ServiceRequest,
    _args: unknown,
    ctx: GraphQLContext,
  ): Promise<RequestDocumentStatus[]> {
    const [serviceType, attachments, waivers] = await Promise.all([
      ctx.loaders.get(this.loaders.serviceTypeAsMade).load(request),
      ctx.loaders.get(this.loaders.attachmentsByRequest).load(request.id),
      ctx.loaders.get(this.loaders.waiversByRequest).load(request.id),
    ]);
    return (serviceType.documents ?? []).map((d) => {
      const attachmentIds = attachments.filter((a) => a.documentCode === d.code).map((a) => a.id);
      const waiverReason = waivers.find((w) => w.documentCode === d.code)?.reason ?? null;
      return {
        code: d.code,
        labelBn: d.labelBn,
        labelEn: d.labelEn,
        required: d.required,
        attachmentIds,
        waiverReason,
        missing: d.required && attachmentIds.length === 0 && waiverReason === null,
      };
    });
  }

  @ResolveField(() => TimelineConnection, { description: 'What happened, oldest first.' })
  async timeline(
    @Parent() request: ServiceRequest,
    @Context() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
  ): Promise<TimelineConnection> {
    const entries = await ctx.loaders.get(this.loaders.timelineByRequest).load(request.id);
    const afterKey = after ? decodeCursor(after, timelineCursor) : null;
    return pageOfLoaded(entries, pageSize(first), timelineKey, afterKey);
  }

  @ResolveField(() => TimelineEntry, { nullable: true, description: 'The latest timeline entry.' })
  async lastEvent(
    request: ServiceRequest,
    _args: unknown,
    ctx: GraphQLContext,
  ): Promise<TimelineEntry | null> {
    // From the whole timeline (tens of entries): a screen that shows both the last event and
    // the timeline, as the queue does, reads them in one statement, not two.
    const entries = await ctx.loaders.get(this.loaders.timelineByRequest).load(request.id);
    return entries.at(-1) ?? null;
  }

  @ResolveField(() => [RequestAction], {
    description:
      'Workflow steps the caller may take now (the reopen period is checked when reopening).',
  })
  async availableActions(
    request: ServiceRequest,
    _args: unknown,
    ctx: GraphQLContext,
  ): Promise<RequestAction[]> {
    const actor = actorIn(ctx);
    if (!canAccess(actor, request, Permission.REQUESTS_WRITE)) return [];
    const serviceType = await ctx.loaders.get(this.loaders.serviceTypeAsMade).load(request);
    return availableActions(
      { ...request, doorstepDelivery: serviceType.doorstepDelivery },
      actor.type === 'STAFF' ? 'STAFF' : 'API_CLIENT',
    );
  }
}
