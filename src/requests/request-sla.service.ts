import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Logger } from 'pino';
import { DataSource, EntityManager, In } from 'typeorm';
import { auditActorOf, systemActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { BadUserInputError } from '../common/errors/app.error';
import { isoDate } from '../common/validation/fields';
import { toAsciiDigits } from '../common/text/normalize';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { MunicipalityHoliday } from './entities/municipality-holiday.entity';
import { TimelineEntryKind } from './entities/request-enums';
import { ServiceRequest } from './entities/service-request.entity';
import { RequestJournalService } from './request-journal.service';

/** Keys of the transaction-scoped advisory locks that let one instance run a sweep. */
const SWEEP_LOCK = 424_242_101;
/**
 * Breaches of one ward in one sweep that alert administrators one by one; the rest of that
 * ward's are told in one summary. The first sweep over old overdue work, or one after an
 * outage, would otherwise send a message per request.
 */
export const SLA_ALERTS_PER_WARD = 3;
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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly journal: RequestJournalService,
    private readonly events: DomainEventsService,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.requests.slaSweepSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      const now = new Date();
      this.running = this.sweep(now)
        .then(() => this.digest(now))
        .catch((error) =>
          this.logger.warn({ err: error }, 'SLA sweep failed; the next tick retries'),
        )
        .finally(() => {
          this.running = null;
        });
    }, seconds * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * Records each request whose running clock passed its due time: `sla_breached_at`, a
   * timeline entry, an audit record and `request.sla_breached` (administrators are alerted).
   * Returns how many breaches it recorded; 0 when another instance holds the sweep.
   */
  async sweep(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [
        SWEEP_LOCK,
      ])) as Array<{ locked: boolean }>;
      if (!locked) return 0;
      const [rows] = (await manager.query(
        `UPDATE service_requests SET sla_breached_at = $1
          WHERE completed_at IS NULL AND sla_paused_at IS NULL AND sla_due_at < $1
            AND sla_breached_at IS NULL
          RETURNING id, ward_id`,
        [now],
      )) as [Array<{ id: string; ward_id: string }>, number];
      const by = systemActor('sla-sweep', 'sla sweep');
      const requests = await manager.find(ServiceRequest, {
        where: { id: In(rows.map((row) => row.id)) },
        order: { wardId: 'ASC', slaDueAt: 'ASC', id: 'ASC' },
      });
      const alertedInWard = new Map<string, number>();
      for (const request of requests) {
        const alerted = alertedInWard.get(request.wardId) ?? 0;
        alertedInWard.set(request.wardId, alerted + 1);
        await this.journal.record(manager, by, request, {
          entry: { kind: TimelineEntryKind.SLA_BREACHED, details: { dueAt: request.slaDueAt } },
          event: 'request.sla_breached',
          payload: {
            dueAt: request.slaDueAt.toISOString(),
            breachedAt: now.toISOString(),
            alert: alerted < SLA_ALERTS_PER_WARD,
          },
          changes: { slaBreachedAt: now },
        });
      }
      for (const request of requests) {
        const breached = alertedInWard.get(request.wardId) ?? 0;
        if (breached <= SLA_ALERTS_PER_WARD) continue;
        alertedInWard.delete(request.wardId);
        await this.recordUntoldBreaches(manager, request, breached - SLA_ALERTS_PER_WARD, now);
      }
      return rows.length;
    });
  }

  /** One summary for a ward's breaches beyond the ones alerted one by one. */
  private recordUntoldBreaches(
    manager: EntityManager,
    request: ServiceRequest,
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
    return this.dataSource.transaction(async (manager) => {
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
