import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../../config/config.tokens';
import { InjectWorkerDataSource } from '../../database/worker-data-source';
import { DomainEventsService } from '../../domain-events/domain-events.service';
import { BackgroundWorker } from '../../jobs/background-worker';
import { WorkerRegistry } from '../../jobs/worker-registry';

const CHUNK = 100;

/**
 * Open help desk episodes whose resident has waited longer than `HELPLINE_OVERDUE_MINUTES`
 * for a staff answer (from their oldest unanswered message), not yet escalated.
 */
const OVERDUE_SQL = `
  SELECT e.id, e.conversation_id, e.municipality_id, e.ward_id, c.resident_id
    FROM helpline_episodes e JOIN conversations c ON c.id = e.conversation_id
   WHERE e.closed_at IS NULL AND e.escalated_at IS NULL
     -- one alert per wait: an unanswered hand-over the hand-over watch escalated is not again
     AND c.escalated_at IS NULL
     AND EXISTS (
       SELECT 1 FROM whatsapp_messages m
        WHERE m.conversation_id = e.conversation_id AND m.direction = 'IN' AND m.author = 'RESIDENT'
          AND m.created_at >= e.opened_at
          AND m.created_at < $1::timestamptz - make_interval(mins => $2)
          AND NOT EXISTS (SELECT 1 FROM whatsapp_messages o
                           WHERE o.conversation_id = e.conversation_id AND o.author = 'STAFF'
                             AND o.created_at > m.created_at))
   ORDER BY e.opened_at
   LIMIT $3
   FOR UPDATE OF e SKIP LOCKED`;

/**
 * Escalates overdue unanswered helpline conversations once each, the way the SLA sweep
 * escalates overdue requests: `escalated_at` and `conversation.overdue` (the notification
 * planner alerts the administrators) in one transaction. The body is `runOnce()`; the
 * timer only calls it.
 */
@Injectable()
export class HelplineEscalationService
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly worker: BackgroundWorker;
  private running: Promise<number> | null = null;

  constructor(
    @InjectWorkerDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly events: DomainEventsService,
    registry: WorkerRegistry,
  ) {
    this.worker = registry.create({
      name: 'helpline-escalation',
      settings: config.workers['helpline-escalation'],
      step: async () => {
        await this.runOnce();
        return false;
      },
      onError: (error) =>
        this.logger.warn({ err: error }, 'helpline escalation failed; the next run tries again'),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    await this.running?.catch(() => undefined);
  }

  /** Escalates what is overdue at `now`; answers how many (one run at a time per instance). */
  runOnce(now = new Date()): Promise<number> {
    this.running ??= this.sweep(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sweep(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const escalated = await this.dataSource.transaction(async (manager) => {
        const overdue = (await manager.query(OVERDUE_SQL, [
          now,
          this.config.helpDesk.overdueMinutes,
          CHUNK,
        ])) as Array<{
          id: string;
          conversation_id: string;
          municipality_id: string;
          ward_id: string;
          resident_id: string;
        }>;
        for (const episode of overdue) {
          await manager.query(`UPDATE helpline_episodes SET escalated_at = $2 WHERE id = $1`, [
            episode.id,
            now,
          ]);
          await this.events.record(manager, {
            type: 'conversation.overdue',
            aggregateType: 'Conversation',
            aggregateId: episode.conversation_id,
            municipalityId: episode.municipality_id,
            wardId: episode.ward_id,
            payload: { residentId: episode.resident_id, episodeId: episode.id },
          });
        }
        return overdue.length;
      });
      total += escalated;
      if (escalated < CHUNK) break;
    }
    if (total > 0)
      this.logger.warn({ conversations: total }, 'overdue helpline conversations escalated');
    return total;
  }
}
