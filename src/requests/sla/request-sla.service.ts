import { toAsciiDigits } from '../../common/text/digits';
import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { auditActorOf, systemActor } from '../../audit/audit-actor';
import { AuditService } from '../../audit/audit.service';
import { assertAccess } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { BadUserInputError } from '../../common/errors/app.error';
import { isoDate } from '../../common/validation/fields';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../../config/config.tokens';
import { DomainEventsService } from '../../domain-events/domain-events.service';
import { InjectWorkerDataSource } from '../../database/worker-data-source';
import { BackgroundWorker } from '../../jobs/background-worker';
import { WorkerRegistry } from '../../jobs/worker-registry';
import { MunicipalityHoliday } from '../entities/municipality-holiday.entity';
import { TimelineEntryKind } from '../entities/request-enums';
import { ServiceRequest } from '../entities/service-request.entity';
import { RequestJournalService } from '../request-journal.service';

/** Keys of the transaction-scoped advisory locks that let one instance run a sweep. */
const SWEEP_LOCK = 424_242_101;
/**
 * Breaches of one ward in one sweep that alert administrators one by one; the rest of that
 * ward's are told in one summary. The first sweep over old overdue work, or one after an
 * outage, would otherwise send a message per request.
 */
export const SLA_ALERTS_PER_WARD = 3;
/** Requests per sweep transaction: short locks, one array parameter, whatever the backlog. */
export const SLA_SWEEP_CHUNK = 500;
const INDIA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' });
const INDIA_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Kolkata',
  hour: '2-digit',
  hourCycle: 'h23',
});

/**
 * The SLA clock's watchman. Every instance ticks; an advisory lock lets exactly one sweep
 * at a time, and `sla_breached_at` records each breach once. The daily digest is claimed
 * once per Indian calendar day in `job_runs`. Both take `now` so tests control the clock.
 */
@Injectable()
export class RequestSlaService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sweeper: BackgroundWorker;
  private readonly digester: BackgroundWorker;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectWorkerDataSource() private readonly workers: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly journal: RequestJournalService,
    private readonly events: DomainEventsService,
    private readonly audit: AuditService,
    registry: WorkerRegistry,
  ) {
    // Two workers: the digest never waits behind (or fails with) a long sweep. Each step is
    // one whole run; the sweep's own chunks and lock make it safe on every instance.
    this.sweeper = registry.create({
      name: 'sla-sweep',
      settings: config.workers['sla-sweep'],
      step: () => this.sweep(new Date()).then(() => false),
      onError: (error) =>
        this.logger.warn({ err: error }, 'SLA sweep failed; the next tick retries'),
    });
    this.digester = registry.create({
      name: 'daily-digest',
      settings: config.workers['daily-digest'],
      step: () => this.digest(new Date()).then(() => false),
      onError: (error) =>
        this.logger.warn({ err: error }, 'daily digest failed; the next tick retries'),
    });
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
    this.digester.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.sweeper.stop(), this.digester.stop()]);
  }

  /**
   * Records each request whose running clock passed its due time: `sla_breached_at`, a
   * timeline entry, an audit record and `request.sla_breached` (administrators are alerted).
   * Works in committed chunks of `SLA_SWEEP_CHUNK` requests (`FOR UPDATE SKIP LOCKED`: a
   * request a coordinator is changing right now is left for the next tick, never waited
   * for), each request under its own savepoint: one that cannot be recorded is rolled back
   * alone, logged, and tried again next tick. Returns how many breaches it recorded.
   */
  async sweep(now: Date, chunk = SLA_SWEEP_CHUNK): Promise<number> {
    const by = systemActor('sla-sweep', 'sla sweep');
    const alertedInWard = new Map<string, { municipalityId: string; breached: number }>();
    const failed: string[] = [];
    let recorded = 0;
    for (;;) {
      if (this.stopping) break;
      const outcome = await this.workers.transaction(async (manager) => {
        const [{ locked }] = (await manager.query(
          `SELECT pg_try_advisory_xact_lock($1) AS locked`,
          [SWEEP_LOCK],
        )) as Array<{ locked: boolean }>;
        if (!locked) return null;
        const ids = (
          (await manager.query(
            `SELECT id FROM service_requests
              WHERE completed_at IS NULL AND sla_paused_at IS NULL AND sla_due_at < $1
                AND sla_breached_at IS NULL AND NOT (id = ANY ($3::uuid[]))
              ORDER BY ward_id, sla_due_at, id
              LIMIT $2 FOR UPDATE SKIP LOCKED`,
            [now, chunk, failed],
          )) as Array<{ id: string }>
        ).map((row) => row.id);
        if (ids.length === 0) return { taken: 0, done: 0 };
        const requests = await manager
          .getRepository(ServiceRequest)
          .createQueryBuilder('r')
          .where('r.id = ANY(:ids)', { ids })
          .orderBy('r.ward_id', 'ASC')
          .addOrderBy('r.sla_due_at', 'ASC')
          .addOrderBy('r.id', 'ASC')
          .getMany();
        let done = 0;
        for (const request of requests) {
          const ward = alertedInWard.get(request.wardId) ?? {
            municipalityId: request.municipalityId,
            breached: 0,
          };
          await manager.query('SAVEPOINT sla_breach');
          try {
            await manager.query(`UPDATE service_requests SET sla_breached_at = $2 WHERE id = $1`, [
              request.id,
              now,
            ]);
            await this.journal.record(manager, by, request, {
              entry: {
                kind: TimelineEntryKind.SLA_BREACHED,
                details: { dueAt: request.slaDueAt },
              },
              event: 'request.sla_breached',
              payload: {
                dueAt: request.slaDueAt.toISOString(),
                breachedAt: now.toISOString(),
                alert: ward.breached < SLA_ALERTS_PER_WARD,
              },
              changes: { slaBreachedAt: now },
            });
            await manager.query('RELEASE SAVEPOINT sla_breach');
            ward.breached += 1;
            alertedInWard.set(request.wardId, ward);
            done += 1;
          } catch (error) {
            await manager.query('ROLLBACK TO SAVEPOINT sla_breach');
            failed.push(request.id);
            this.logger.error(
              { err: error, request: request.id },
              'SLA breach could not be recorded; the others go on, the next tick retries it',
            );
          }
        }
        return { taken: ids.length, done };
      });
      if (!outcome) break;
      recorded += outcome.done;
      if (outcome.taken < chunk) break;
    }
    const untold = [...alertedInWard].filter(([, w]) => w.breached > SLA_ALERTS_PER_WARD);
    if (untold.length) {
      await this.workers.transaction(async (manager) => {
        for (const [wardId, ward] of untold) {
          await this.recordUntoldBreaches(
            manager,
            { wardId, municipalityId: ward.municipalityId },
            ward.breached - SLA_ALERTS_PER_WARD,
            now,
          );
        }
      });
    }
    if (failed.length)
      this.logger.warn({ failed: failed.length, recorded }, 'SLA sweep left breaches unrecorded');
    return recorded;
  }

  /** One summary for a ward's breaches beyond the ones alerted one by one. */
  private recordUntoldBreaches(
    manager: EntityManager,
    request: { wardId: string; municipalityId: string },
    count: number,
    now: Date,
  ) {
    return this.events.record(manager, {
      type: 'ward.sla_breaches_summarised',
      aggregateType: 'Ward',
      aggregateId: request.wardId,
      municipalityId: request.municipalityId,
      wardId: request.wardId,
      payload: { count, breachedAt: now.toISOString() },
    });
  }

  /**
   * Once per Indian day, from `DIGEST_HOUR` on: each ward with work gets a digest for its
   * coordinators (open, due today, overdue). Returns the wards told; 0 if already done today.
   */
  async digest(now: Date): Promise<number> {
    if (Number(INDIA_HOUR.format(now)) < this.config.requests.digestHour) return 0;
    const day = INDIA_DATE.format(now);
    return this.workers.transaction(async (manager) => {
      const claimed: unknown[] = await manager.query(
        `INSERT INTO job_runs (job, run_key) VALUES ('daily-digest', $1) ON CONFLICT DO NOTHING RETURNING job`,
        [day],
      );
      if (claimed.length === 0) return 0;
      const wards = (await manager.query(
        `SELECT municipality_id, ward_id,
                count(*)::int AS open,
                count(*) FILTER (WHERE (sla_due_at AT TIME ZONE 'Asia/Kolkata')::date = $2::date)::int AS due_today,
                count(*) FILTER (WHERE sla_paused_at IS NULL AND sla_due_at < $1)::int AS overdue
           FROM service_requests WHERE completed_at IS NULL
          GROUP BY municipality_id, ward_id`,
        [now, day],
      )) as Array<{
        municipality_id: string;
        ward_id: string;
        open: number;
        due_today: number;
        overdue: number;
      }>;
      for (const ward of wards) await this.recordDigest(manager, ward, day);
      return wards.length;
    });
  }

  private recordDigest(
    manager: EntityManager,
    ward: {
      municipality_id: string;
      ward_id: string;
      open: number;
      due_today: number;
      overdue: number;
    },
    day: string,
  ) {
    return this.events.record(manager, {
      type: 'ward.daily_digest',
      aggregateType: 'Ward',
      aggregateId: ward.ward_id,
      municipalityId: ward.municipality_id,
      wardId: ward.ward_id,
      payload: { day, open: ward.open, dueToday: ward.due_today, overdue: ward.overdue },
    });
  }

  /** Replaces the municipality's holidays (administrators). */
  async setHolidays(
    actor: Actor,
    holidays: Array<{ date: string; name: string }>,
  ): Promise<MunicipalityHoliday[]> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.WARDS_MANAGE,
      'Municipality',
    );
    const seen = new Set<string>();
    // Dates may come with Bengali digits; they are stored and compared as YYYY-MM-DD.
    holidays = holidays.map((h) => ({ ...h, date: toAsciiDigits(String(h.date ?? '')).trim() }));
    for (const [index, holiday] of holidays.entries()) {
      if (!isoDate.safeParse(holiday.date).success) {
        throw new BadUserInputError('must be a date as YYYY-MM-DD', `holidays.${index}.date`);
      }
      if (seen.has(holiday.date))
        throw new BadUserInputError('is listed twice', `holidays.${index}.date`);
      seen.add(holiday.date);
      if (!holiday.name.trim() || holiday.name.length > 200) {
        throw new BadUserInputError('must be 1–200 characters', `holidays.${index}.name`);
      }
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.delete(MunicipalityHoliday, { municipalityId: actor.municipalityId });
      if (holidays.length) {
        await manager.insert(
          MunicipalityHoliday,
          holidays.map((h) => ({
            municipalityId: actor.municipalityId,
            date: h.date,
            name: h.name.trim(),
          })),
        );
      }
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'municipality.holidays_set',
        entityType: 'Municipality',
        entityId: actor.municipalityId,
        municipalityId: actor.municipalityId,
        changes: { holidays: holidays.length },
      });
      return manager.find(MunicipalityHoliday, {
        where: { municipalityId: actor.municipalityId },
        order: { date: 'ASC' },
      });
    });
  }

  listHolidays(actor: Actor): Promise<MunicipalityHoliday[]> {
    return this.dataSource
      .getRepository(MunicipalityHoliday)
      .find({ where: { municipalityId: actor.municipalityId }, order: { date: 'ASC' } });
  }
}
