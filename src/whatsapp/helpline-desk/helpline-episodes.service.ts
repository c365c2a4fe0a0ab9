import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../../audit/audit-actor';
import { AuditService } from '../../audit/audit.service';
import { assertAccess, readableWards } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { UserError, UserErrorCode, userError } from '../../common/errors/user-error.type';
import { assertUuid } from '../../common/graphql/uuid';
import { ConnectionShape } from '../../common/pagination/connection.type';
import { decodeCursor } from '../../common/pagination/cursor';
import { pageSize, toConnection } from '../../common/pagination/page-window';
import { requiredText } from '../../common/validation/fields';
import { validateInput } from '../../common/validation/validate-input';
import { Conversation } from '../entities/conversation.entity';
import { StaffConversationsService } from '../conversation/staff-conversations.service';
import { ConversationDesk, ConversationDeskPayload, HelpDeskFilter } from './dto/desk.type';
import { Refusal, refusable } from '../../common/errors/refusal';

/**
 * The desk state of episodes, derived where it can be from the thread itself: the oldest
 * resident message after the last staff answer is what waits; unread messages are the
 * resident's after `last_read_at`; the first staff answer after `opened_at` is the response.
 */
const DESK_SQL = `
  SELECT e.*, s.display_name AS assignee_name,
         (SELECT min(m.created_at) FROM whatsapp_messages m
           WHERE m.conversation_id = e.conversation_id AND m.direction = 'IN' AND m.author = 'RESIDENT'
             AND m.created_at >= e.opened_at
             AND m.created_at > coalesce((SELECT max(o.created_at) FROM whatsapp_messages o
                                        WHERE o.conversation_id = e.conversation_id AND o.author = 'STAFF'),
                                      '-infinity')) AS waiting_since,
         (SELECT count(*)::int FROM whatsapp_messages m
           WHERE m.conversation_id = e.conversation_id AND m.direction = 'IN' AND m.author = 'RESIDENT'
             AND m.created_at >= e.opened_at AND m.created_at > coalesce(e.last_read_at, '-infinity')) AS unread,
         coalesce(e.first_response_at,
                  (SELECT min(m.created_at) FROM whatsapp_messages m
                    WHERE m.conversation_id = e.conversation_id AND m.author = 'STAFF'
                      AND m.created_at >= e.opened_at)) AS first_response
    FROM helpline_episodes e LEFT JOIN staff_accounts s ON s.id = e.assignee_id`;

interface DeskRow {
  id: string;
  conversation_id: string;
  assignee_id: string | null;
  assignee_name: string | null;
  labels: string[];
  opened_at: Date;
  waiting_since: Date | null;
  unread: number;
  first_response: Date | null;
  escalated_at: Date | null;
  closed_at: Date | null;
  version: number;
}

const toDesk = (row: DeskRow): ConversationDesk =>
  Object.assign(new ConversationDesk(), {
    episodeId: row.id,
    conversationId: row.conversation_id,
    assignee: row.assignee_id ? { id: row.assignee_id, displayName: row.assignee_name } : null,
    labels: row.labels,
    openedAt: row.opened_at,
    waitingSince: row.closed_at ? null : row.waiting_since,
    unreadCount: row.unread,
    firstResponseAt: row.first_response,
    escalatedAt: row.escalated_at,
    closedAt: row.closed_at,
    version: row.version,
  });

const labelsSchema = z.object({
  labels: z.array(requiredText(40)).max(10, 'at most 10 labels'),
});
const waitCursor = z.tuple([z.string().max(40), z.uuid()]);

/** Assignment, labels, reading and closing of helpline conversations handed to people. */
@Injectable()
export class HelplineEpisodesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly conversations: StaffConversationsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The open episode of a conversation, opened now if it has none: from its hand-over (or
   * from now). Called for every resident message to a conversation with people, and by
   * every desk action.
   */
  async openEpisode(manager: EntityManager, conversation: Conversation, at: Date): Promise<string> {
    // Opened by the resident's message that asked for a person (their last one up to the
    // hand-over, or up to now), so that its own wait counts. Times are the server's
    // (`created_at`): WhatsApp's own timestamps are whole seconds.
    await manager.query(
      `INSERT INTO helpline_episodes (conversation_id, municipality_id, ward_id, opened_at)
       SELECT $1, $2, $3, coalesce(
                (SELECT max(m.created_at) FROM whatsapp_messages m
                  WHERE m.conversation_id = $1 AND m.direction = 'IN'
                    AND m.created_at <= coalesce($5::timestamptz, $4::timestamptz)),
                $5::timestamptz, $4::timestamptz)
       ON CONFLICT (conversation_id) WHERE closed_at IS NULL DO NOTHING`,
      [
        conversation.id,
        conversation.municipalityId,
        conversation.wardId,
        at,
        conversation.handedOverAt,
      ],
    );
    const [row] = (await manager.query(
      `SELECT id FROM helpline_episodes WHERE conversation_id = $1 AND closed_at IS NULL`,
      [conversation.id],
    )) as Array<{ id: string }>;
    return row.id;
  }

  /** The desk state of conversations (their open episode, or else their latest). */
  async deskOf(conversationIds: readonly string[]): Promise<Map<string, ConversationDesk>> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (d.conversation_id) d.* FROM (${DESK_SQL}) d
        WHERE d.conversation_id = ANY($1::uuid[])
        ORDER BY d.conversation_id, d.closed_at IS NULL DESC, d.opened_at DESC`,
      [[...conversationIds]],
    )) as DeskRow[];
    return new Map(rows.map((row) => [row.conversation_id, toDesk(row)]));
  }

  async list(
    actor: Actor,
    filter: HelpDeskFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Conversation>> {
    const size = pageSize(first);
    const wards = readableWards(actor, Permission.RESIDENTS_READ);
    const params: unknown[] = [actor.municipalityId];
    const where = ['d.municipality_id = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (wards !== 'ALL') add('d.ward_id = ANY(?::uuid[])', wards);
    if (filter?.wardId) add('d.ward_id = ?', assertUuid(filter.wardId, 'filter.wardId'));
    if (filter?.assigneeId)
      add('d.assignee_id = ?', assertUuid(filter.assigneeId, 'filter.assigneeId'));
    if (filter?.unassigned) where.push('d.assignee_id IS NULL');
    if (filter?.label) add('? = ANY(d.labels)', filter.label.trim());
    if (!filter?.includeClosed) where.push('d.closed_at IS NULL');
    if (filter?.unanswered) where.push('d.waiting_since IS NOT NULL AND d.closed_at IS NULL');
    if (filter?.waitingLongerThanMinutes != null) {
      add(
        `d.waiting_since < now() - make_interval(mins => ?::int)`,
        Math.max(0, filter.waitingLongerThanMinutes),
      );
    }
    const base = `SELECT DISTINCT ON (d.conversation_id) d.* FROM (${DESK_SQL}) d WHERE ${where.join(' AND ')}
                  ORDER BY d.conversation_id, d.closed_at IS NULL DESC, d.opened_at DESC`;
    // Longest waiting first, then the most recently opened.
    const sortKey = `coalesce(x.waiting_since, x.opened_at)`;
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (${base}) x`,
      params,
    )) as Array<{ n: number }>;
    let page = '';
    if (after) {
      const [at, id] = decodeCursor(after, waitCursor);
      params.push(at, id);
      page = `WHERE (${sortKey}, x.conversation_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(size + 1);
    const rows = (await this.dataSource.query(
      `SELECT x.conversation_id, ${sortKey}::text AS sort_value FROM (${base}) x ${page}
        ORDER BY ${sortKey}, x.conversation_id LIMIT $${params.length}`,
      params,
    )) as Array<{ conversation_id: string; sort_value: string }>;
    const found = await this.dataSource
      .getRepository(Conversation)
      .findBy(rows.map((r) => ({ id: r.conversation_id })));
    const byId = new Map(found.map((c) => [c.id, c]));
    const sortOf = new Map(rows.map((r) => [r.conversation_id, r.sort_value]));
    return toConnection(
      rows.map((r) => byId.get(r.conversation_id)).filter((c): c is Conversation => Boolean(c)),
      size,
      (c) => [sortOf.get(c.id), c.id],
      n,
      Boolean(after),
    );
  }

  /** Assigns to a coordinator or field agent of the conversation's ward (null: nobody). */
  async assign(actor: Actor, conversationId: string, assigneeId: string | null | undefined) {
    return this.change(
      actor,
      conversationId,
      'conversation.assigned',
      async (manager, conversation, episode) => {
        let assignee: string | null = null;
        if (assigneeId) {
          const [staff] = (await manager.query(
            `SELECT a.id FROM staff_accounts a JOIN staff_role_grants g ON g.account_id = a.id
            WHERE a.id = $1 AND a.active AND g.municipality_id = $2 AND g.ward_id = $3
              AND g.role IN ('WARD_COORDINATOR', 'FIELD_AGENT') LIMIT 1`,
            [assertUuidOr(assigneeId), conversation.municipalityId, conversation.wardId],
          )) as Array<{ id: string }>;
          if (!staff) {
            return [
              userError(
                UserErrorCode.NOT_FOUND,
                'assigneeId',
                'not a coordinator or field agent of the conversation’s ward',
              ),
            ];
          }
          assignee = staff.id;
        }
        await manager.query(
          `UPDATE helpline_episodes SET assignee_id = $2, version = version + 1 WHERE id = $1`,
          [episode, assignee],
        );
        return { assigneeId: assignee };
      },
    );
  }

  async label(actor: Actor, conversationId: string, labels: string[]) {
    const checked = validateInput(labelsSchema, { labels });
    if (!checked.ok) return { desk: null, errors: checked.errors };
    const unique = [...new Set(checked.value.labels)];
    return this.change(
      actor,
      conversationId,
      'conversation.labelled',
      async (manager, _c, episode) => {
        await manager.query(
          `UPDATE helpline_episodes SET labels = $2::text[], version = version + 1 WHERE id = $1`,
          [episode, unique],
        );
        return { labels: unique };
      },
    );
  }

  async markRead(actor: Actor, conversationId: string) {
    return this.change(actor, conversationId, null, async (manager, _c, episode) => {
      await manager.query(`UPDATE helpline_episodes SET last_read_at = now() WHERE id = $1`, [
        episode,
      ]);
      return {};
    });
  }

  /** Ends the episode (its first response frozen) and gives the conversation back to the bot. */
  async close(actor: Actor, conversationId: string): Promise<ConversationDeskPayload> {
    const result = await this.change(
      actor,
      conversationId,
      'conversation.closed',
      async (manager, _c, episode) => {
        await manager.query(
          `UPDATE helpline_episodes e SET closed_at = now(), closed_by_id = $2, version = version + 1,
                first_response_at = coalesce(e.first_response_at, (
                  SELECT min(m.created_at) FROM whatsapp_messages m
                   WHERE m.conversation_id = e.conversation_id AND m.author = 'STAFF' AND m.created_at >= e.opened_at)),
                first_responder_id = coalesce(e.first_responder_id, (
                  SELECT s.id FROM whatsapp_messages m JOIN staff_accounts s
                         ON s.username = m.author_name AND s.municipality_id = e.municipality_id
                   WHERE m.conversation_id = e.conversation_id AND m.author = 'STAFF' AND m.created_at >= e.opened_at
                   ORDER BY m.created_at LIMIT 1))
          WHERE id = $1`,
          [episode, actor.type === 'STAFF' ? actor.id : null],
        );
        return {};
      },
    );
    if (result.errors.length === 0) await this.conversations.handBack(actor, conversationId);
    return result;
  }

  /**
   * Loads the conversation (NOT_FOUND outside the caller's wards; writing needs
   * RESIDENTS_WRITE there), opens its episode if needed, applies the change with its audit
   * entry, and answers the desk state.
   */
  private async change(
    actor: Actor,
    conversationId: string,
    action: string | null,
    apply: (
      manager: EntityManager,
      conversation: Conversation,
      episodeId: string,
    ) => Promise<UserError[] | Record<string, unknown>>,
  ): Promise<ConversationDeskPayload> {
    const conversation = await this.conversations.get(actor, conversationId);
    assertAccess(actor, conversation, Permission.RESIDENTS_WRITE, 'Conversation');
    return refusable('desk', async () => {
      await this.dataSource.transaction(async (manager) => {
        const episode = await this.openEpisode(manager, conversation, new Date());
        await manager.query(`SELECT 1 FROM helpline_episodes WHERE id = $1 FOR UPDATE`, [episode]);
        const outcome = await apply(manager, conversation, episode);
        // Refused: roll back, the episode opened for it included.
        if (Array.isArray(outcome)) throw new Refusal(outcome);
        if (action) {
          await this.audit.record(manager, auditActorOf(actor), {
            action,
            entityType: 'Conversation',
            entityId: conversation.id,
            municipalityId: conversation.municipalityId,
            wardId: conversation.wardId,
            changes: outcome,
          });
        }
      });
      return (await this.deskOf([conversation.id])).get(conversation.id) ?? null;
    });
  }
}

function assertUuidOr(id: string): string {
  return assertUuid(id, 'assigneeId');
}
