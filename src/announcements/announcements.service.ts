// Over 400 lines on purpose: an announcement's state machine (draft, approve, schedule, pause,
// resume, cancel) and its access rule (one ward or several) are one unit; the sending is
// announcement-sender.service.ts.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { assertAccess, readableWards } from '../common/access/access-control';
import { Actor, reachOf, reaches } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { decodeCursor } from '../common/pagination/cursor';
import { pageSize, toConnection } from '../common/pagination/page-window';
import { optionalText, requiredText } from '../common/validation/fields';
import { validateInput } from '../common/validation/validate-input';
import { AnnouncementRow, toAnnouncement } from './announcement-row';
import { AnnouncementSettingsService } from './announcement-settings.service';
import { AudienceSpec, countAudience } from './announcement-audience';
import {
  Announcement,
  AnnouncementAudiencePayload,
  AnnouncementPayload,
  AnnouncementStatus,
} from './dto/announcement.type';
import {
  AnnouncementAudienceInput,
  AnnouncementFilter,
  CreateAnnouncementInput,
  ScheduleAnnouncementInput,
} from './dto/announcement.inputs';
import { AnnouncementSenderService } from './announcement-sender.service';
import { holdOutbox, specOf } from './announcement-outbox';
import { Refusal, refusable } from '../common/errors/refusal';

const audienceSchema = z.object({
  wardIds: z.array(z.uuid('must be a ward id')).max(500).nullish(),
  wholeMunicipality: z.boolean().nullish(),
  locality: optionalText(200),
  serviceTypeIds: z.array(z.uuid('must be a service id')).max(50).nullish(),
});
const createSchema = audienceSchema.extend({
  textBn: requiredText(1000),
  textEn: requiredText(1000),
});

const createdCursor = z.tuple([z.string().max(40), z.uuid()]);

/** States from which an announcement may still be changed, and into which. */
const PAUSABLE = [AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING];
const CANCELLABLE = [
  AnnouncementStatus.PENDING_APPROVAL,
  AnnouncementStatus.DRAFT,
  AnnouncementStatus.SCHEDULED,
  AnnouncementStatus.SENDING,
  AnnouncementStatus.PAUSED,
];

type Resolved =
  { ok: true; spec: AudienceSpec; whole: boolean } | { ok: false; errors: UserError[] };

/**
 * Announcements from staff to residents: who may write to whom, the audience preview,
 * approval of municipality-wide ones, scheduling, pausing and cancelling. Sending itself is
 * the {@link AnnouncementSenderService}'s.
 */
@Injectable()
export class AnnouncementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: AnnouncementSettingsService,
    private readonly audit: AuditService,
    private readonly sender: AnnouncementSenderService,
  ) {}

  /**
   * The audience an actor may address: a coordinator exactly one ward of their own; several
   * wards or the whole municipality need an administrator (NOTIFICATIONS_MANAGE everywhere).
   * Another municipality's or another ward's id is NOT_FOUND in the payload, nothing leaks.
   */
  private async resolveAudience(
    actor: Actor,
    input: z.output<typeof audienceSchema>,
  ): Promise<Resolved> {
    const fail = (field: string, code: UserErrorCode, message: string): Resolved => ({
      ok: false,
      errors: [userError(code, field, message)],
    });
    const admin = reachOf(actor, Permission.NOTIFICATIONS_MANAGE)?.allWards === true;
    const wardIds = [...new Set(input.wardIds ?? [])];
    if (input.wholeMunicipality) {
      if (!admin) {
        return fail(
          'wholeMunicipality',
          UserErrorCode.INVALID,
          'only an administrator may announce to the whole municipality; a coordinator announces to their own ward',
        );
      }
      if (wardIds.length > 0) {
        return fail('wardIds', UserErrorCode.INVALID, 'leave wardIds empty with wholeMunicipality');
      }
      const rows = (await this.dataSource.query(
        `SELECT id FROM wards WHERE municipality_id = $1 AND active ORDER BY number`,
        [actor.municipalityId],
      )) as Array<{ id: string }>;
      wardIds.push(...rows.map((row) => row.id));
    } else {
      if (wardIds.length === 0) {
        return fail('wardIds', UserErrorCode.REQUIRED, 'name the ward(s), or wholeMunicipality');
      }
      const known = (await this.dataSource.query(
        `SELECT id FROM wards WHERE municipality_id = $1 AND id = ANY($2::uuid[])`,
        [actor.municipalityId, wardIds],
      )) as Array<{ id: string }>;
      const writable = reachOf(actor, Permission.RESIDENTS_WRITE);
      const unknown = wardIds.filter(
        (id) => !known.some((row) => row.id === id) || (!admin && !reaches(writable, id)),
      );
      if (unknown.length > 0) {
        return fail('wardIds', UserErrorCode.NOT_FOUND, `no ward of yours: ${unknown.join(', ')}`);
      }
      if (wardIds.length > 1 && !admin) {
        return fail(
          'wardIds',
          UserErrorCode.INVALID,
          'a coordinator announces to one ward at a time; several wards need an administrator',
        );
      }
    }
    return {
      ok: true,
      whole: Boolean(input.wholeMunicipality),
      spec: {
        municipalityId: actor.municipalityId,
        wardIds,
        locality: input.locality ?? null,
        serviceTypeIds: [...new Set(input.serviceTypeIds ?? [])],
      },
    };
  }

  async preview(
    actor: Actor,
    input: AnnouncementAudienceInput,
  ): Promise<AnnouncementAudiencePayload> {
    const checked = validateInput(audienceSchema, input);
    if (!checked.ok) return { audience: null, errors: checked.errors };
    const resolved = await this.resolveAudience(actor, checked.value);
    if (!resolved.ok) return { audience: null, errors: resolved.errors };
    return { audience: await countAudience(this.dataSource.manager, resolved.spec), errors: [] };
  }

  /** Errors that stop an audience being sent to: nobody in it, or a template missing. */
  private async sendingProblems(manager: EntityManager, spec: AudienceSpec): Promise<UserError[]> {
    const audience = await countAudience(manager, spec);
    if (audience.total === 0) {
      return [
        userError(
          UserErrorCode.INVALID,
          'wardIds',
          `the audience is empty: it reaches no resident (${audience.optedOut} opted out, ${audience.unreachable} without WhatsApp or phone)`,
        ),
      ];
    }
    return this.settings.missingTemplates(
      await this.settings.get(manager, spec.municipalityId),
      audience,
    );
  }

  async create(actor: Actor, input: CreateAnnouncementInput): Promise<AnnouncementPayload> {
    const checked = validateInput(createSchema, input);
    if (!checked.ok) return { announcement: null, errors: checked.errors };
    const resolved = await this.resolveAudience(actor, checked.value);
    if (!resolved.ok) return { announcement: null, errors: resolved.errors };
    const problems = await this.sendingProblems(this.dataSource.manager, resolved.spec);
    if (problems.length > 0) return { announcement: null, errors: problems };
    const { spec, whole } = resolved;
    const id = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `INSERT INTO announcements (municipality_id, ward_ids, whole_municipality, locality,
                service_type_ids, text_bn, text_en, status, needs_approval, created_by_id, created_by_name)
         VALUES ($1, $2::uuid[], $3, $4, $5::uuid[], $6, $7, $8, $3, $9, $10) RETURNING id`,
        [
          spec.municipalityId,
          spec.wardIds,
          whole,
          spec.locality,
          spec.serviceTypeIds,
          checked.value.textBn,
          checked.value.textEn,
          whole ? AnnouncementStatus.PENDING_APPROVAL : AnnouncementStatus.DRAFT,
          actor.id,
          actor.type === 'STAFF' ? actor.displayName : actor.name,
        ],
      )) as Array<{ id: string }>;
      await this.record(manager, actor, row.id, 'announcement.created', spec.wardIds, {
        wardIds: spec.wardIds,
        wholeMunicipality: whole,
        locality: spec.locality,
        serviceTypeIds: spec.serviceTypeIds,
      });
      return row.id;
    });
    return { announcement: await this.get(actor, id), errors: [] };
  }

  /** A municipality-wide announcement goes out only after a second administrator approves. */
  async approve(actor: Actor, id: string): Promise<AnnouncementPayload> {
    return this.transition(actor, id, async (manager, row) => {
      if (reachOf(actor, Permission.NOTIFICATIONS_MANAGE)?.allWards !== true) {
        return [userError(UserErrorCode.INVALID, 'id', 'only an administrator approves')];
      }
      if (row.status !== AnnouncementStatus.PENDING_APPROVAL) {
        return [invalidTransition(row.status, 'approved')];
      }
      if (row.created_by_id === actor.id) {
        return [
          userError(
            UserErrorCode.INVALID,
            'id',
            'a second administrator must approve it, not its author',
          ),
        ];
      }
      await manager.query(
        `UPDATE announcements SET status = 'DRAFT', approved_by_id = $2, approved_by_name = $3,
                approved_at = now(), version = version + 1, updated_at = now() WHERE id = $1`,
        [row.id, actor.id, actor.type === 'STAFF' ? actor.displayName : actor.name],
      );
      await this.record(manager, actor, row.id, 'announcement.approved', row.ward_ids, {});
      return [];
    });
  }

  async schedule(actor: Actor, input: ScheduleAnnouncementInput): Promise<AnnouncementPayload> {
    const result = await this.transition(actor, input.id, async (manager, row) => {
      if (![AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED].includes(row.status)) {
        return [
          row.status === AnnouncementStatus.PENDING_APPROVAL
            ? userError(UserErrorCode.INVALID, 'id', 'waits for a second administrator’s approval')
            : invalidTransition(row.status, 'scheduled'),
        ];
      }
      const sendAt = input.sendAt ?? new Date();
      if (Number.isNaN(sendAt.getTime()) || sendAt.getTime() > Date.now() + 90 * 86_400_000) {
        return [userError(UserErrorCode.OUT_OF_RANGE, 'sendAt', 'at most 90 days ahead')];
      }
      const problems = await this.sendingProblems(manager, specOf(row));
      if (problems.length > 0) return problems;
      await manager.query(
        `UPDATE announcements SET status = 'SCHEDULED', send_at = greatest($2::timestamptz, now()),
                version = version + 1, updated_at = now() WHERE id = $1`,
        [row.id, sendAt],
      );
      await this.record(manager, actor, row.id, 'announcement.scheduled', row.ward_ids, {
        sendAt: sendAt.toISOString(),
      });
      return [];
    });
    this.sender.wake();
    return result;
  }

  /** Staff pause: nothing more is handed to the outbox and what waits there is held. */
  async pause(actor: Actor, id: string): Promise<AnnouncementPayload> {
    return this.transition(actor, id, async (manager, row) => {
      if (!PAUSABLE.includes(row.status)) return [invalidTransition(row.status, 'paused')];
      await manager.query(
        `UPDATE announcements SET status = 'PAUSED', version = version + 1, updated_at = now() WHERE id = $1`,
        [row.id],
      );
      await holdOutbox(manager, row.id, 'infinity');
      await this.record(manager, actor, row.id, 'announcement.paused', row.ward_ids, {});
      return [];
    });
  }

  async resume(actor: Actor, id: string): Promise<AnnouncementPayload> {
    const result = await this.transition(actor, id, async (manager, row) => {
      if (row.status !== AnnouncementStatus.PAUSED)
        return [invalidTransition(row.status, 'resumed')];
      await manager.query(
        `UPDATE announcements SET status = CASE WHEN started_at IS NULL THEN 'SCHEDULED' ELSE 'SENDING' END,
                version = version + 1, updated_at = now() WHERE id = $1`,
        [row.id],
      );
      await manager.query(
        `UPDATE notifications n SET next_attempt_at = now(), updated_at = now()
           FROM announcement_recipients ar
          WHERE ar.announcement_id = $1 AND n.id = ar.notification_id AND n.status = 'QUEUED'`,
        [row.id],
      );
      await manager.query(`SELECT pg_notify('duare_notifications', '')`);
      await this.record(manager, actor, row.id, 'announcement.resumed', row.ward_ids, {});
      return [];
    });
    this.sender.wake();
    return result;
  }

  /** Cancelled: messages still waiting in the outbox fail as CANCELLED, the rest never go. */
  async cancel(actor: Actor, id: string): Promise<AnnouncementPayload> {
    return this.transition(actor, id, async (manager, row) => {
      if (!CANCELLABLE.includes(row.status)) return [invalidTransition(row.status, 'cancelled')];
      await manager.query(
        `UPDATE announcements SET status = 'CANCELLED', cancelled_at = now(), version = version + 1,
                updated_at = now() WHERE id = $1`,
        [row.id],
      );
      await manager.query(
        `UPDATE notifications n SET status = 'FAILED', failed_at = now(), error_code = 'CANCELLED',
                error_message = 'the announcement was cancelled', updated_at = now()
           FROM announcement_recipients ar
          WHERE ar.announcement_id = $1 AND n.id = ar.notification_id AND n.status = 'QUEUED'`,
        [row.id],
      );
      await this.record(manager, actor, row.id, 'announcement.cancelled', row.ward_ids, {});
      return [];
    });
  }

  async get(actor: Actor, id: string): Promise<Announcement> {
    const [row] = (await this.dataSource.query(`SELECT * FROM announcements WHERE id = $1`, [
      assertUuid(id, 'id'),
    ])) as AnnouncementRow[];
    if (!row || !this.visible(actor, row)) throw new NotFoundError('Announcement');
    return toAnnouncement(row);
  }

  async list(
    actor: Actor,
    filter: AnnouncementFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Announcement>> {
    const size = pageSize(first);
    const wards = readableWards(actor, Permission.RESIDENTS_READ);
    const params: unknown[] = [actor.municipalityId];
    let where = 'municipality_id = $1';
    if (wards !== 'ALL') {
      params.push(wards);
      where += ` AND ward_ids && $${params.length}::uuid[]`;
    }
    if (filter?.wardId) {
      params.push([assertUuid(filter.wardId, 'filter.wardId')]);
      where += ` AND ward_ids && $${params.length}::uuid[]`;
    }
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM announcements WHERE ${where}`,
      params,
    )) as Array<{ n: number }>;
    if (after) {
      const [at, id] = decodeCursor(after, createdCursor);
      params.push(at, id);
      where += ` AND (created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(size + 1);
    const rows = (await this.dataSource.query(
      `SELECT *, created_at::text AS sort_value FROM announcements WHERE ${where}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as Array<AnnouncementRow & { sort_value: string }>;
    const sortValues = new Map(rows.map((row) => [row.id, row.sort_value]));
    return toConnection(
      rows.map(toAnnouncement),
      size,
      (a) => [sortValues.get(a.id), a.id],
      n,
      Boolean(after),
    );
  }

  /** Visible when it reaches one of the caller's wards. */
  private visible(actor: Actor, row: AnnouncementRow): boolean {
    if (row.municipality_id !== actor.municipalityId) return false;
    const wards = reachOf(actor, Permission.RESIDENTS_READ);
    return row.ward_ids.some((wardId) => reaches(wards, wardId));
  }

  /**
   * Loads and locks the announcement, checks that the caller may change it (its one ward:
   * RESIDENTS_WRITE there; several wards: an administrator), runs the change and answers the
   * announcement as it is then, or the errors with nothing changed.
   */
  private async transition(
    actor: Actor,
    id: string,
    change: (manager: EntityManager, row: AnnouncementRow) => Promise<UserError[]>,
  ): Promise<AnnouncementPayload> {
    const announcementId = assertUuid(id, 'id');
    return refusable('announcement', async () => {
      await this.dataSource.transaction(async (manager) => {
        const [row] = (await manager.query(`SELECT * FROM announcements WHERE id = $1 FOR UPDATE`, [
          announcementId,
        ])) as AnnouncementRow[];
        if (!row || !this.visible(actor, row)) throw new NotFoundError('Announcement');
        if (row.ward_ids.length === 1 && !row.whole_municipality) {
          assertAccess(actor, { ...scopeOf(row) }, Permission.RESIDENTS_WRITE, 'Announcement');
        } else {
          assertAccess(
            actor,
            { municipalityId: row.municipality_id },
            Permission.NOTIFICATIONS_MANAGE,
            'Announcement',
          );
        }
        const problems = await change(manager, row);
        // Nothing of a refused change stays.
        if (problems.length > 0) throw new Refusal(problems);
      });
      return this.get(actor, announcementId);
    });
  }

  private record(
    manager: EntityManager,
    actor: Actor,
    id: string,
    action: string,
    wardIds: string[],
    changes: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(manager, auditActorOf(actor), {
      action,
      entityType: 'Announcement',
      entityId: id,
      municipalityId: actor.municipalityId,
      wardId: wardIds.length === 1 ? wardIds[0] : null,
      changes,
    });
  }
}

function invalidTransition(status: AnnouncementStatus, to: string): UserError {
  return userError(
    UserErrorCode.INVALID_TRANSITION,
    'id',
    `an announcement that is ${status} cannot be ${to}`,
  );
}

function scopeOf(row: AnnouncementRow) {
  return { municipalityId: row.municipality_id, wardId: row.ward_ids[0] };
}
