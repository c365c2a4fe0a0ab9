// Over 400 lines on purpose: every change to an existing request (steps, assignment, priority,
// notes, files) goes through the same lock, version check and journal entry, kept in one class so
// that none skips them.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { AuditActorType } from '../audit/entities/audit-entry.entity';
import { StaffAccountsService } from '../auth/staff-accounts.service';
import { assertAccess, ForbiddenError } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { ConflictError } from '../common/errors/app.error';
import { violatedUniqueConstraint } from '../common/errors/database-errors';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { validateInput } from '../common/validation/validate-input';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';
import { Changes, lockRow, updateAtVersion } from '../database/row-lock';
import { attachmentSchema, noteSchema, optionalNoteSchema } from './dto/request-input.schemas';
import {
  AddRequestAttachmentInput,
  AddRequestNoteInput,
  AssignRequestInput,
  SetRequestPriorityInput,
  TransitionRequestInput,
} from './dto/request.inputs';
import {
  RequestAttachmentPayload,
  RequestPayload,
  TimelineEntryPayload,
} from './dto/request.payloads';
import { RequestAttachment } from './entities/request-attachment.entity';
import { RequestAction, TimelineEntryKind } from './entities/request-enums';
import { ServiceDefinition } from './entities/service-definition';
import { ServiceRequest } from './entities/service-request.entity';
import { ServiceTypeVersion } from './entities/service-type-version.entity';
import { RequestDocumentsService } from './documents/request-documents.service';
import { Refusal, refusable, refused } from '../common/errors/refusal';
import { RequestJournalService } from './request-journal.service';
import {
  ActorKind,
  COMPLETED_STATUSES,
  availableActions,
  findTransition,
  Transition,
} from './workflow/request-workflow';
import { SlaCalendarService } from './sla/sla-calendar.service';
import { resumedDueAt } from './workflow/sla-clock';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The workflow kind of an audit actor (residents act through the helpline, as Duare). */
export function actorKindOf(by: AuditActorRef): ActorKind {
  if (by.type === AuditActorType.STAFF) return 'STAFF';
  if (by.type === AuditActorType.API_CLIENT) return 'API_CLIENT';
  return 'SYSTEM';
}

/** The request changed since the caller read it: CONFLICT, with what it is now. */
export function staleRequest(current: ServiceRequest): ConflictError {
  return new ConflictError(
    `The request changed since it was read (now version ${current.version}, ${current.status}); read it again`,
    'version',
    { currentVersion: current.version, currentStatus: current.status },
  );
}

/** Steps, assignment, priority, notes and files: every change to an existing request. */
@Injectable()
export class RequestWorkflowService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly journal: RequestJournalService,
    private readonly staff: StaffAccountsService,
    private readonly calendar: SlaCalendarService,
    private readonly documents: RequestDocumentsService,
  ) {}

  async transition(actor: Actor, input: TransitionRequestInput): Promise<RequestPayload> {
    const checked = validateInput(z.object({ note: optionalNoteSchema }), { note: input.note });
    if (!checked.ok) return refused('request', checked.errors);
    return refusable('request', () =>
      this.dataSource.transaction(async (manager) => {
        const request = await this.lockWritable(manager, actor, input.requestId, input.version);
        if (input.action === RequestAction.APPROVE) {
          // Approval needs the service's required documents, each attached or waived.
          const missing = await this.documents.missing(
            manager,
            request,
            await this.definitionOf(manager, request),
          );
          if (missing.length > 0) throw new Refusal(RequestDocumentsService.missingErrors(missing));
        }
        return this.apply(manager, auditActorOf(actor), request, input.action, checked.value.note);
      }),
    );
  }

  /** A step by Duare itself (certificate issuance, deliveries, the helpline, demo data). */
  async applyTrusted(
    by: AuditActorRef,
    requestId: string,
    action: RequestAction,
    note: string | null = null,
  ): Promise<RequestPayload> {
    return refusable('request', () =>
      this.dataSource.transaction(async (manager) => {
        const request = await lockRow(manager, ServiceRequest, requestId, 'Request');
        return this.apply(manager, by, request, action, note);
      }),
    );
  }

  /**
   * Takes one workflow step on a locked request, for a caller already allowed to write
   * it. Also the path of trusted callers (certificate issuance, deliveries, the helpline).
   */
  async apply(
    manager: EntityManager,
    by: AuditActorRef,
    request: ServiceRequest,
    action: RequestAction,
    note: string | null | undefined,
  ): Promise<ServiceRequest> {
    const definition = await this.definitionOf(manager, request);
    const step = findTransition(
      action,
      { ...request, doorstepDelivery: definition.doorstepDelivery },
      actorKindOf(by),
    );
    if (!step.ok) {
      if (step.reason === 'NOT_BY_ACTOR') {
        throw new ForbiddenError(
          `${action} is not done by ${actorKindOf(by).toLowerCase()} callers`,
        );
      }
      const possible = availableActions(
        { ...request, doorstepDelivery: definition.doorstepDelivery },
        actorKindOf(by),
      );
      throw new Refusal([
        userError(
          UserErrorCode.INVALID_TRANSITION,
          'action',
          illegal(action, request, step.reason, possible),
        ),
      ]);
    }
    const { transition } = step;
    if (transition.noteRequired && !note) {
      throw new Refusal([
        userError(UserErrorCode.REQUIRED, 'note', `${action} needs a note saying why or what`),
      ]);
    }
    const now = new Date();
    if (transition.withinReopenPeriod) this.assertReopenable(request, now);
    const after = await updateAtVersion(
      manager,
      ServiceRequest,
      request.id,
      request.version,
      {
        status: transition.to,
        statusChangedAt: now,
        ...clockChanges(transition, request, now),
        ...(transition.sla === 'RESTART'
          ? {
              slaDueAt: await this.calendar.dueAt(manager, request.municipalityId, now, definition),
              slaBreachedAt: null,
            }
          : {}),
      },
      'Request',
    );
    await this.journal.record(manager, by, after, {
      entry: {
        kind: TimelineEntryKind.STATUS_CHANGED,
        action,
        fromStatus: request.status,
        toStatus: after.status,
        note: note ?? null,
        residentVisible: Boolean(note) && transition.noteToResident,
      },
      event: 'request.status_changed',
      payload: {
        action,
        from: request.status,
        to: after.status,
        noteToResident: transition.noteToResident ? (note ?? null) : null,
      },
      changes: {
        status: { from: request.status, to: after.status },
        action,
        slaDueAt: { from: request.slaDueAt, to: after.slaDueAt },
      },
    });
    return after;
  }

  private assertReopenable(request: ServiceRequest, now: Date): void {
    const since = request.completedAt ?? request.statusChangedAt;
    const days = this.config.requests.reopenDays;
    if (now.getTime() - since.getTime() > days * DAY_MS) {
      throw new Refusal([
        userError(
          UserErrorCode.INVALID_TRANSITION,
          'action',
          `the reopen period of ${days} days after the outcome has passed`,
        ),
      ]);
    }
  }

  async assign(actor: Actor, input: AssignRequestInput): Promise<RequestPayload> {
    const assigneeId = input.assigneeId ? assertUuid(input.assigneeId, 'assigneeId') : null;
    return refusable('request', () =>
      this.dataSource.transaction(async (manager) => {
        const request = await this.lockWritable(manager, actor, input.requestId, input.version);
        assertOpen(request);
        if (
          assigneeId &&
          !(await this.staff.worksInWard(
            assigneeId,
            request.municipalityId,
            request.wardId,
            manager,
          ))
        ) {
          throw new Refusal([
            userError(
              UserErrorCode.NOT_FOUND,
              'assigneeId',
              'no active coordinator or administrator of the request’s ward has this id',
            ),
          ]);
        }
        if (assigneeId === request.assigneeId) return request;
        const after = await this.update(manager, request, { assigneeId });
        await this.journal.record(manager, auditActorOf(actor), after, {
          entry: {
            kind: TimelineEntryKind.ASSIGNED,
            details: { assigneeId, previousAssigneeId: request.assigneeId },
          },
          event: 'request.assigned',
          payload: { assigneeId, previousAssigneeId: request.assigneeId },
          changes: { assigneeId: { from: request.assigneeId, to: assigneeId } },
        });
        return after;
      }),
    );
  }

  async setPriority(actor: Actor, input: SetRequestPriorityInput): Promise<RequestPayload> {
    return refusable('request', () =>
      this.dataSource.transaction(async (manager) => {
        const request = await this.lockWritable(manager, actor, input.requestId, input.version);
        assertOpen(request);
        if (input.priority === request.priority) return request;
        const after = await this.update(manager, request, { priority: input.priority });
        await this.journal.record(manager, auditActorOf(actor), after, {
          entry: {
            kind: TimelineEntryKind.PRIORITY_CHANGED,
            details: { from: request.priority, to: after.priority },
          },
          event: 'request.priority_changed',
          payload: { from: request.priority, to: after.priority },
          changes: { priority: { from: request.priority, to: after.priority } },
        });
        return after;
      }),
    );
  }

  /** Notes do not change the request (no version needed): they only add to its timeline. */
  async addNote(actor: Actor, input: AddRequestNoteInput): Promise<TimelineEntryPayload> {
    const checked = validateInput(z.object({ text: noteSchema }), { text: input.text });
    if (!checked.ok) return { entry: null, errors: checked.errors };
    const entry = await this.dataSource.transaction(async (manager) => {
      const request = await this.lockWritable(manager, actor, input.requestId, null);
      return this.journal.record(manager, auditActorOf(actor), request, {
        entry: {
          kind: input.toResident ? TimelineEntryKind.COMMENT : TimelineEntryKind.NOTE,
          note: checked.value.text,
          residentVisible: input.toResident,
        },
        // The text of an internal note stays out of the event: consumers outside the ward
        // (webhooks) must not see it.
        event: input.toResident ? 'request.comment_added' : 'request.note_added',
        payload: input.toResident ? { comment: checked.value.text } : {},
        changes: { kind: input.toResident ? 'COMMENT' : 'NOTE' },
      });
    });
    return { entry, errors: [] };
  }

  async addAttachment(
    actor: Actor,
    input: AddRequestAttachmentInput,
  ): Promise<RequestAttachmentPayload> {
    const checked = validateInput(z.object({ attachment: attachmentSchema }), {
      attachment: input.attachment,
    });
    if (!checked.ok) return { attachment: null, errors: checked.errors };
    return refusable(
      'attachment',
      () =>
        this.dataSource.transaction(async (manager) => {
          const request = await this.lockWritable(manager, actor, input.requestId, null);
          assertOpen(request);
          const saved = await manager.save(
            manager.create(RequestAttachment, {
              ...checked.value.attachment,
              requestId: request.id,
              wardId: request.wardId,
            }),
          );
          await this.journal.record(manager, auditActorOf(actor), request, {
            entry: {
              kind: TimelineEntryKind.ATTACHMENT_ADDED,
              details: { attachmentId: saved.id, kind: saved.kind, mimeType: saved.mimeType },
            },
            event: 'request.attachment_added',
            payload: { attachmentId: saved.id },
            changes: { attachmentId: saved.id, sha256: saved.sha256 },
          });
          return saved;
        }),
      (error) =>
        violatedUniqueConstraint(error) === 'uq_request_attachments_sha'
          ? [
              userError(
                UserErrorCode.DUPLICATE,
                'attachment.sha256',
                'this file is already attached',
              ),
            ]
          : null,
    );
  }

  /**
   * Locks the request for a change by this caller: NOT_FOUND outside the caller's wards,
   * FORBIDDEN without the right to write, CONFLICT when `version` is stale.
   */
  private async lockWritable(
    manager: EntityManager,
    actor: Actor,
    requestId: string,
    version: number | null,
  ): Promise<ServiceRequest> {
    const request = await lockRow(
      manager,
      ServiceRequest,
      assertUuid(requestId, 'requestId'),
      'Request',
    );
    assertAccess(actor, request, Permission.REQUESTS_WRITE, 'Request');
    if (version !== null && request.version !== version) throw staleRequest(request);
    return request;
  }

  private update(
    manager: EntityManager,
    request: ServiceRequest,
    changes: Changes<ServiceRequest>,
  ): Promise<ServiceRequest> {
    return updateAtVersion(
      manager,
      ServiceRequest,
      request.id,
      request.version,
      changes,
      'Request',
    );
  }

  private async definitionOf(
    manager: EntityManager,
    request: ServiceRequest,
  ): Promise<ServiceDefinition> {
    const version = await manager.findOneByOrFail(ServiceTypeVersion, {
      serviceTypeId: request.serviceTypeId,
      definitionVersion: request.definitionVersion,
    });
    return version.definition;
  }
}

function assertOpen(request: ServiceRequest): void {
  if (COMPLETED_STATUSES.includes(request.status)) {
    throw new Refusal([
      userError(UserErrorCode.INVALID_TRANSITION, 'requestId', `the request is ${request.status}`),
    ]);
  }
}

/** What the SLA clock does on this step. */
function clockChanges(
  transition: Transition,
  request: ServiceRequest,
  now: Date,
): Changes<ServiceRequest> {
  // Leaving NEEDS_INFO, however it is left, first gives back the paused time.
  const dueAt = request.slaPausedAt
    ? resumedDueAt(request.slaDueAt, request.slaPausedAt, now)
    : request.slaDueAt;
  switch (transition.sla) {
    case 'PAUSE':
      return { slaPausedAt: now };
    case 'RESUME':
      // A later due time is a new promise: a breach of it is a new breach.
      return { slaDueAt: dueAt, slaPausedAt: null, slaBreachedAt: null };
    case 'STOP':
      return { slaDueAt: dueAt, slaPausedAt: null, completedAt: now };
    case 'RESTART':
      return { slaPausedAt: null, completedAt: null };
    default:
      return {};
  }
}

function illegal(
  action: RequestAction,
  request: ServiceRequest,
  reason: 'NOT_FROM_STATUS' | 'NOT_FOR_CATEGORY' | 'NOT_DOORSTEP',
  possible: RequestAction[],
): string {
  if (reason === 'NOT_FOR_CATEGORY') {
    return `${action} does not apply to ${request.category} requests`;
  }
  if (reason === 'NOT_DOORSTEP') return `${action} applies only to services delivered to the door`;
  const options = possible.length ? ` (possible: ${possible.join(', ')})` : '';
  return `${action} is not possible from ${request.status}${options}`;
}
