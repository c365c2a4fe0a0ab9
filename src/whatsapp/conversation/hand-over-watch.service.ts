import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../../config/config.tokens';
import { InjectWorkerDataSource } from '../../database/worker-data-source';
import { DomainEventsService } from '../../domain-events/domain-events.service';
import { BackgroundWorker } from '../../jobs/background-worker';
import { WorkerRegistry } from '../../jobs/worker-registry';
import { WardsService } from '../../wards/wards.service';
import { firstStaffedMoment } from './service-hours';

/** Conversations looked at per transaction. */
const BATCH = 100;

interface Waiting {
  id: string;
  municipality_id: string;
  ward_id: string;
  resident_id: string;
  handed_over_at: Date;
}

/**
 * Hand-overs nobody answers: when no staff message follows a hand-over within
 * `HANDOVER_ESCALATE_MINUTES` of the ward's staffed time (a hand-over at 2 a.m. counts from
 * opening), the municipality's administrators are told, once per hand-over. Several
 * instances may run: rows are claimed with `SKIP LOCKED`.
 */
@Injectable()
export class HandOverWatchService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: BackgroundWorker;

  constructor(
    @InjectWorkerDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly events: DomainEventsService,
    private readonly wards: WardsService,
    registry: WorkerRegistry,
  ) {
    this.worker = registry.create({
      name: 'hand-over-watch',
      settings: config.workers['hand-over-watch'],
      step: () => this.escalateBatch(new Date()).then((n) => n === BATCH),
      onError: (error) =>
        this.logger.warn({ err: error }, 'hand-over watch failed; the next poll retries'),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }

  /** Escalates every hand-over overdue at `now`; returns how many were escalated. */
  async escalateDue(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.escalateBatch(now);
      total += n;
      if (n < BATCH) return total;
    }
  }

  private escalateBatch(now: Date): Promise<number> {
    const minutes = this.config.whatsapp.handOverEscalateMinutes;
    if (minutes <= 0) return Promise.resolve(0);
    return this.dataSource.transaction(async (manager) => {
      const waiting = (await manager.query(
        `SELECT c.id, c.municipality_id, c.ward_id, c.resident_id, c.handed_over_at
           FROM conversations c
          WHERE c.status = 'HUMAN' AND c.escalated_at IS NULL
            AND c.handed_over_at < $1::timestamptz - make_interval(mins => $2)
            AND NOT EXISTS (
              SELECT 1 FROM helpline_episodes e
               WHERE e.conversation_id = c.id AND e.closed_at IS NULL AND e.escalated_at IS NOT NULL)
            AND NOT EXISTS (
              SELECT 1 FROM whatsapp_messages m
               WHERE m.conversation_id = c.id AND m.author = 'STAFF' AND m.sent_at >= c.handed_over_at)
          ORDER BY c.handed_over_at LIMIT ${BATCH}
            FOR UPDATE OF c SKIP LOCKED`,
        [now, minutes],
      )) as Waiting[];
      let escalated = 0;
      for (const conversation of waiting) {
        // One conversation that cannot be escalated (its cause logged) holds up no other.
        await manager.query('SAVEPOINT hand_over');
        try {
          if (await this.escalate(manager, conversation, now, minutes)) escalated += 1;
          await manager.query('RELEASE SAVEPOINT hand_over');
        } catch (error) {
          await manager.query('ROLLBACK TO SAVEPOINT hand_over');
          this.logger.warn(
            { err: error, conversation: conversation.id },
            'could not escalate an unanswered hand-over; the next poll retries',
          );
        }
      }
      return escalated;
    });
  }

  /** Escalates one hand-over if its time has come; false when it has not yet. */
  private async escalate(
    manager: EntityManager,
    conversation: Waiting,
    now: Date,
    minutes: number,
  ): Promise<boolean> {
    const ward = await this.wards.findInMunicipality(
      conversation.municipality_id,
      conversation.ward_id,
      manager,
    );
    const from = ward
      ? firstStaffedMoment(ward.serviceHours, new Date(conversation.handed_over_at))
      : new Date(conversation.handed_over_at);
    // Counted from when someone could first answer; checked again on a later poll.
    if (now.getTime() - from.getTime() < minutes * 60_000) return false;
    await manager.query(`UPDATE conversations SET escalated_at = $2 WHERE id = $1`, [
      conversation.id,
      now,
    ]);
    await this.events.record(manager, {
      type: 'conversation.handover_unanswered',
      aggregateType: 'Conversation',
      aggregateId: conversation.id,
      municipalityId: conversation.municipality_id,
      wardId: conversation.ward_id,
      payload: {
        conversationId: conversation.id,
        residentId: conversation.resident_id,
        reason: 'UNANSWERED',
      },
    });
    return true;
  }
}
