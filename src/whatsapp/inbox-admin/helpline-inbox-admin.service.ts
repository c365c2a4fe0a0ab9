import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../../audit/audit-actor';
import { AuditService } from '../../audit/audit.service';
import { readableWards } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { NotFoundError } from '../../common/errors/app.error';
import { UserErrorCode, userError } from '../../common/errors/user-error.type';
import { assertUuid } from '../../common/graphql/uuid';
import { ConnectionShape } from '../../common/pagination/connection.type';
import { pageByNewest } from '../../common/pagination/timestamp-page';
import { requiredText } from '../../common/validation/fields';
import { validateInput } from '../../common/validation/validate-input';
import { WardsService } from '../../wards/wards.service';
import { WhatsAppInboxRow } from '../entities/whatsapp-inbox.entity';
import { WhatsAppInboxService } from '../whatsapp-inbox.service';
import { messageValues, WebhookPayload } from '../whatsapp-payload';
import {
  DiscardHelplineInboxItemInput,
  HelplineInboxItem,
  HelplineInboxItemPayload,
  HelplineInboxStatus,
} from './helpline-inbox-item.dto';

const discardSchema = z.object({ id: z.string(), reason: requiredText(500) });

/**
 * What administrators see of the stored webhook payloads of their helplines (above all the
 * parked ones, with the cause) and the two things they may do: try one again, or discard it.
 */
@Injectable()
export class HelplineInboxAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wards: WardsService,
    private readonly audit: AuditService,
    private readonly inbox: WhatsAppInboxService,
  ) {}

  async list(
    actor: Actor,
    status: HelplineInboxStatus,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<HelplineInboxItem>> {
    const helplines = await this.helplinesOf(actor);
    const query = this.dataSource
      .getRepository(WhatsAppInboxRow)
      .createQueryBuilder('i')
      .where('i.status = :status', { status })
      .andWhere('i.helpline = ANY(:helplines)', { helplines: [...helplines.keys()] });
    const page = await pageByNewest(query, 'i', 'received_at', first, after);
    return {
      ...page,
      edges: page.edges.map((edge) => ({ ...edge, node: toItem(edge.node, helplines) })),
    };
  }

  async retry(actor: Actor, id: string): Promise<HelplineInboxItemPayload> {
    const { row, helplines } = await this.visibleRow(actor, id);
    if (row.status !== HelplineInboxStatus.PARKED && row.status !== HelplineInboxStatus.DISCARDED)
      return refusal(
        'id',
        `only PARKED or DISCARDED payloads are retried (this one is ${row.status})`,
      );
    const updated = await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE whatsapp_inbox SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                parked_at = NULL, processed_at = NULL
          WHERE id = $1 AND status IN ('PARKED', 'DISCARDED')`,
        [row.id],
      );
      await this.record(manager, actor, row, helplines, 'whatsapp_inbox.retried', {});
      return manager.findOneByOrFail(WhatsAppInboxRow, { id: row.id });
    });
    void this.inbox.kick();
    return { item: toItem(updated, helplines), errors: [] };
  }

  async discard(
    actor: Actor,
    input: DiscardHelplineInboxItemInput,
  ): Promise<HelplineInboxItemPayload> {
    const checked = validateInput(discardSchema, input);
    if (!checked.ok) return { item: null, errors: checked.errors };
    const { row, helplines } = await this.visibleRow(actor, input.id);
    if (row.status !== HelplineInboxStatus.PARKED)
      return refusal('id', `only PARKED payloads are discarded (this one is ${row.status})`);
    const updated = await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE whatsapp_inbox SET status = 'DISCARDED', processed_at = now()
          WHERE id = $1 AND status = 'PARKED'`,
        [row.id],
      );
      await this.record(manager, actor, row, helplines, 'whatsapp_inbox.discarded', {
        reason: checked.value.reason,
      });
      return manager.findOneByOrFail(WhatsAppInboxRow, { id: row.id });
    });
    return { item: toItem(updated, helplines), errors: [] };
  }

  /** The helplines (phone number id → ward) whose payloads the actor may manage. */
  private async helplinesOf(actor: Actor): Promise<Map<string, string>> {
    const readable = readableWards(actor, Permission.NOTIFICATIONS_MANAGE);
    const wards = await this.wards.listInMunicipality(actor.municipalityId);
    return new Map(
      wards
        .filter((w) => w.whatsappPhoneNumberId && (readable === 'ALL' || readable.includes(w.id)))
        .map((w) => [w.whatsappPhoneNumberId as string, w.id]),
    );
  }

  private async visibleRow(actor: Actor, id: string) {
    const helplines = await this.helplinesOf(actor);
    const row = await this.dataSource
      .getRepository(WhatsAppInboxRow)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!row || !row.helpline || !helplines.has(row.helpline))
      throw new NotFoundError('HelplineInboxItem');
    return { row, helplines };
  }

  private record(
    manager: Parameters<AuditService['record']>[0],
    actor: Actor,
    row: WhatsAppInboxRow,
    helplines: Map<string, string>,
    action: string,
    changes: Record<string, unknown>,
  ) {
    return this.audit.record(manager, auditActorOf(actor), {
      action,
      entityType: 'HelplineInboxItem',
      entityId: row.id,
      municipalityId: actor.municipalityId,
      wardId: helplines.get(row.helpline ?? '') ?? null,
      changes: { ...changes, status: row.status, attempts: row.attempts },
    });
  }
}

function refusal(field: string, message: string): HelplineInboxItemPayload {
  return { item: null, errors: [userError(UserErrorCode.INVALID_TRANSITION, field, message)] };
}

function toItem(row: WhatsAppInboxRow, helplines: Map<string, string>): HelplineInboxItem {
  const { values } = messageValues(row.payload as WebhookPayload);
  return {
    id: row.id,
    status: row.status as HelplineInboxStatus,
    wardId: helplines.get(row.helpline ?? '') ?? null,
    senderMasked: row.sender ? `…${row.sender.slice(-4)}` : null,
    messageTypes: values.flatMap((v) => (v.messages ?? []).map((m) => m.type)),
    statusCount: values.reduce((n, v) => n + (v.statuses?.length ?? 0), 0),
    attempts: row.attempts,
    lastError: row.lastError,
    receivedAt: row.receivedAt,
    nextAttemptAt: row.nextAttemptAt,
    processedAt: row.processedAt,
    parkedAt: row.parkedAt,
  };
}
