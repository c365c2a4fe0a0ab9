import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../../audit/audit-actor';
import { AuditService } from '../../audit/audit.service';
import { assertAccess, readableWards } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { NotFoundError } from '../../common/errors/app.error';
import { UserError, UserErrorCode, userError } from '../../common/errors/user-error.type';
import { assertUuid } from '../../common/graphql/uuid';
import { requiredText } from '../../common/validation/fields';
import { validateInput } from '../../common/validation/validate-input';
import { ServiceHours } from '../../wards/entities/service-hours.type';
import { ResidentLanguage } from '../../residents/entities/resident-enums';
import { ResidentsService } from '../../residents/residents.service';
import {
  fillPlaceholders,
  formatServiceHours,
  placeholderProblems,
  placeholdersIn,
} from './canned-reply-text';
import {
  CannedReply,
  CannedReplyPayload,
  CreateCannedReplyInput,
  UpdateCannedReplyInput,
} from './dto/canned-reply.type';

const body = requiredText(2000).superRefine((text, ctx) => {
  for (const message of placeholderProblems(text)) ctx.addIssue({ code: 'custom', message });
});
const createSchema = z.object({
  wardId: z.uuid('must be a ward id').nullish(),
  title: requiredText(80),
  bodyBn: body,
  bodyEn: body,
});
const updateSchema = z.object({
  title: requiredText(80).nullish(),
  bodyBn: body.nullish(),
  bodyEn: body.nullish(),
});

interface Row {
  id: string;
  municipality_id: string;
  ward_id: string | null;
  title: string;
  body_bn: string;
  body_en: string;
  version: number;
}

const toReply = (row: Row): CannedReply =>
  Object.assign(new CannedReply(), {
    id: row.id,
    municipalityId: row.municipality_id,
    wardId: row.ward_id,
    title: row.title,
    bodyBn: row.body_bn,
    bodyEn: row.body_en,
    version: row.version,
  });

/** What a canned reply needs to know about the resident it goes to. */
export interface CannedRecipient {
  residentId: string;
  municipalityId: string;
  wardId: string;
  fullName: string;
  altName: string | null;
  lang: 'bn' | 'en';
}

/** Canned replies per municipality and ward; placeholders are checked when saved. */
@Injectable()
export class CannedRepliesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly residents: ResidentsService,
  ) {}

  /** The municipality's and the caller's wards' canned replies (one ward's when asked). */
  async list(actor: Actor, wardId: string | null | undefined): Promise<CannedReply[]> {
    const wards = readableWards(actor, Permission.RESIDENTS_READ);
    const params: unknown[] = [actor.municipalityId];
    let where = 'municipality_id = $1';
    if (wards !== 'ALL') {
      params.push(wards);
      where += ` AND (ward_id IS NULL OR ward_id = ANY($2::uuid[]))`;
    }
    if (wardId) {
      params.push(assertUuid(wardId, 'wardId'));
      where += ` AND (ward_id IS NULL OR ward_id = $${params.length})`;
    }
    const rows = (await this.dataSource.query(
      `SELECT * FROM canned_replies WHERE ${where} ORDER BY ward_id NULLS FIRST, lower(title) LIMIT 500`,
      params,
    )) as Row[];
    return rows.map(toReply);
  }

  async create(actor: Actor, input: CreateCannedReplyInput): Promise<CannedReplyPayload> {
    const checked = validateInput(createSchema, input);
    if (!checked.ok) return { cannedReply: null, errors: checked.errors };
    const wardId = checked.value.wardId ?? null;
    if (wardId) {
      const [ward] = (await this.dataSource.query(
        `SELECT id FROM wards WHERE id = $1 AND municipality_id = $2`,
        [wardId, actor.municipalityId],
      )) as unknown[];
      if (!ward) throw new NotFoundError('Ward');
    }
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId, wardId },
      wardId ? Permission.RESIDENTS_WRITE : Permission.NOTIFICATIONS_MANAGE,
      'Ward',
    );
    return this.saving(
      actor,
      async (manager) => {
        const [row] = (await manager.query(
          `INSERT INTO canned_replies (municipality_id, ward_id, title, body_bn, body_en)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
          [
            actor.municipalityId,
            wardId,
            checked.value.title,
            checked.value.bodyBn,
            checked.value.bodyEn,
          ],
        )) as Row[];
        return row;
      },
      'canned_reply.created',
    );
  }

  async update(actor: Actor, input: UpdateCannedReplyInput): Promise<CannedReplyPayload> {
    const current = await this.get(actor, input.id);
    this.assertWritable(actor, current);
    const checked = validateInput(updateSchema, input);
    if (!checked.ok) return { cannedReply: null, errors: checked.errors };
    return this.saving(
      actor,
      async (manager) => {
        const rows = (await manager.query(
          `UPDATE canned_replies SET title = coalesce($3, title), body_bn = coalesce($4, body_bn),
                body_en = coalesce($5, body_en), version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING *`,
          [
            current.id,
            input.version,
            checked.value.title ?? null,
            checked.value.bodyBn ?? null,
            checked.value.bodyEn ?? null,
          ],
        )) as [Row[], number];
        return rows[0][0] ?? null;
      },
      'canned_reply.updated',
    );
  }

  async get(actor: Actor, id: string): Promise<CannedReply> {
    const [row] = (await this.dataSource.query(`SELECT * FROM canned_replies WHERE id = $1`, [
      assertUuid(id, 'id'),
    ])) as Row[];
    if (!row) throw new NotFoundError('CannedReply');
    assertAccess(
      actor,
      { municipalityId: row.municipality_id, wardId: row.ward_id },
      Permission.RESIDENTS_READ,
      'CannedReply',
    );
    return toReply(row);
  }

  private assertWritable(actor: Actor, reply: CannedReply) {
    assertAccess(
      actor,
      { municipalityId: reply.municipalityId, wardId: reply.wardId },
      reply.wardId ? Permission.RESIDENTS_WRITE : Permission.NOTIFICATIONS_MANAGE,
      'CannedReply',
    );
  }

  /** Saves in a transaction with its audit entry; a duplicate title or a stale version is a payload error. */
  private async saving(
    actor: Actor,
    write: (manager: DataSource['manager']) => Promise<Row | null>,
    action: string,
  ): Promise<CannedReplyPayload> {
    try {
      const row = await this.dataSource.transaction(async (manager) => {
        const saved = await write(manager);
        if (!saved) return null;
        await this.audit.record(manager, auditActorOf(actor), {
          action,
          entityType: 'CannedReply',
          entityId: saved.id,
          municipalityId: saved.municipality_id,
          wardId: saved.ward_id,
          changes: { title: saved.title },
        });
        return saved;
      });
      if (!row) {
        return {
          cannedReply: null,
          errors: [userError(UserErrorCode.STALE_VERSION, 'version', 'changed since it was read')],
        };
      }
      return { cannedReply: toReply(row), errors: [] };
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        return {
          cannedReply: null,
          errors: [
            userError(
              UserErrorCode.DUPLICATE,
              'title',
              'another canned reply of this ward has this title',
            ),
          ],
        };
      }
      throw error;
    }
  }

  /**
   * The text staff send: theirs, or a canned reply's filled in for the resident (never both).
   */
  async textFor(
    actor: Actor,
    input: { residentId: string; text?: string | null; cannedReplyId?: string | null },
  ): Promise<{ text: string; errors: UserError[] }> {
    if (!input.cannedReplyId) return { text: input.text ?? '', errors: [] };
    if (input.text) {
      return {
        text: '',
        errors: [userError(UserErrorCode.INVALID, 'text', 'send either a text or a cannedReplyId')],
      };
    }
    const resident = await this.residents.getVisible(actor, input.residentId);
    return this.render(actor, input.cannedReplyId, {
      residentId: resident.id,
      municipalityId: resident.municipalityId,
      wardId: resident.wardId,
      fullName: resident.fullName,
      altName: resident.altName,
      lang: resident.preferredLanguage === ResidentLanguage.EN ? 'en' : 'bn',
    });
  }

  /**
   * The text of a canned reply for one resident, in their language, placeholders filled:
   * a reply of another ward is NOT_FOUND; `{{trackingNumber}}` needs an open request.
   */
  async render(
    actor: Actor,
    id: string,
    to: CannedRecipient,
  ): Promise<{ text: string; errors: UserError[] }> {
    const reply = await this.get(actor, id);
    const refuse = (message: string) => ({
      text: '',
      errors: [userError(UserErrorCode.INVALID, 'cannedReplyId', message)],
    });
    if (
      reply.municipalityId !== to.municipalityId ||
      (reply.wardId && reply.wardId !== to.wardId)
    ) {
      return {
        text: '',
        errors: [
          userError(
            UserErrorCode.NOT_FOUND,
            'cannedReplyId',
            'no canned reply of the resident’s ward',
          ),
        ],
      };
    }
    const text = to.lang === 'en' ? reply.bodyEn : reply.bodyBn;
    const used = placeholdersIn(text);
    const values: Record<string, string> = {
      residentName: to.lang === 'en' ? (to.altName ?? to.fullName) : to.fullName,
    };
    if (used.has('trackingNumber')) {
      const [open] = (await this.dataSource.query(
        `SELECT tracking_number FROM service_requests
          WHERE resident_id = $1 AND ward_id = $2
            AND status NOT IN ('RESOLVED', 'CLOSED', 'REJECTED', 'CANCELLED', 'DELIVERED')
          ORDER BY created_at DESC LIMIT 1`,
        [to.residentId, to.wardId],
      )) as Array<{ tracking_number: string }>;
      if (!open) return refuse('it names {{trackingNumber}} but the resident has no open request');
      values.trackingNumber = open.tracking_number;
    }
    if (used.has('wardHours')) {
      const [ward] = (await this.dataSource.query(`SELECT service_hours FROM wards WHERE id = $1`, [
        to.wardId,
      ])) as Array<{ service_hours: ServiceHours }>;
      values.wardHours = formatServiceHours(ward.service_hours, to.lang);
    }
    return { text: fillPlaceholders(text, values), errors: [] };
  }
}
