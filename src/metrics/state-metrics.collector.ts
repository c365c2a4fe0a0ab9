import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { APP_LOGGER } from '../config/config.tokens';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { InjectWorkerDataSource } from '../database/worker-data-source';
import { MetricsService } from './metrics.service';

/**
 * Background work waiting, per job table: every job keeps its pending rows under a partial
 * index, so each count reads only what waits. `oldest` is when the oldest waiting row was
 * made; `due` how many of them may run now (the rest wait for a retry's backoff).
 */
const JOBS_SQL = `
  SELECT 'notifications' AS job, count(*)::int AS waiting,
         count(*) FILTER (WHERE next_attempt_at <= now())::int AS due,
         extract(epoch FROM now() - min(created_at))::float AS oldest_age
    FROM notifications WHERE status IN ('QUEUED', 'SENDING')
  UNION ALL
  SELECT 'webhook_deliveries', count(*)::int, count(*) FILTER (WHERE next_attempt_at <= now())::int,
         extract(epoch FROM now() - min(created_at))::float
    FROM webhook_deliveries WHERE status = 'PENDING'
  UNION ALL
  SELECT 'whatsapp_inbox', count(*)::int, count(*) FILTER (WHERE next_attempt_at <= now())::int,
         extract(epoch FROM now() - min(received_at))::float
    FROM whatsapp_inbox WHERE status = 'PENDING'
  UNION ALL
  SELECT 'whatsapp_media_fetches', count(*)::int,
         count(*) FILTER (WHERE next_attempt_at <= now())::int,
         extract(epoch FROM now() - min(created_at))::float
    FROM whatsapp_media_fetches WHERE status = 'PENDING'`;

/**
 * Notifications of the last day by channel and status, plus every one still waiting
 * (read through the partial indexes on finished and pending rows).
 */
const NOTIFICATIONS_SQL = `
  SELECT channel::text, status::text, count(*)::int AS n FROM notifications
   WHERE status IN ('SENT', 'DELIVERED', 'READ', 'FAILED') AND created_at > now() - interval '1 day'
   GROUP BY 1, 2
  UNION ALL
  SELECT channel::text, status::text, count(*)::int FROM notifications
   WHERE status IN ('QUEUED', 'SENDING') GROUP BY 1, 2`;

/** WhatsApp errors of the last day by code: final failures and failures being retried. */
const WHATSAPP_ERRORS_SQL = `
  SELECT error_code AS code, (status = 'FAILED') AS final, count(*)::int AS n FROM notifications
   WHERE channel = 'WHATSAPP' AND error_code IS NOT NULL
     AND ((status IN ('SENT', 'DELIVERED', 'READ', 'FAILED') AND created_at > now() - interval '1 day')
          OR status IN ('QUEUED', 'SENDING'))
   GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 60`;

/**
 * Open and overdue requests per ward (`ix_service_requests_open` holds only open requests).
 * Overdue as the queue says it: past its due time and not paused.
 */
const WARDS_SQL = `
  SELECT m.code AS municipality, w.number AS ward, count(r.ward_id)::int AS open,
         count(r.ward_id) FILTER (WHERE r.sla_paused_at IS NULL AND r.sla_due_at < now())::int AS overdue
    FROM wards w JOIN municipalities m ON m.id = w.municipality_id
    LEFT JOIN service_requests r ON r.ward_id = w.id AND r.completed_at IS NULL
   GROUP BY m.code, w.number`;

/** A scrape waits this long at most for each statement; a slow database must not pile up scrapes. */
const STATEMENT_TIMEOUT_MS = 2000;

/**
 * What the database says now, computed when Prometheus scrapes: job backlogs, notifications
 * by channel and status, WhatsApp failures by code, open and overdue requests per ward, and
 * the connection pools. Gauges are set afresh each scrape (a ward or code that disappeared
 * disappears); if the database does not answer, `duare_state_scrape_ok` is 0 and the gauges
 * are empty rather than stale.
 */
@Injectable()
export class StateMetricsCollector {
  private readonly jobWaiting: Gauge;
  private readonly jobDue: Gauge;
  private readonly jobOldest: Gauge;
  private readonly notifications: Gauge;
  private readonly whatsappErrors: Gauge;
  private readonly open: Gauge;
  private readonly overdue: Gauge;
  private readonly scrapeOk: Gauge;

  constructor(
    metrics: MetricsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectWorkerDataSource() workers: DataSource,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    const registers = [metrics.registry];
    const gauge = (name: string, help: string, labelNames: string[] = []) =>
      new Gauge({ name, help, labelNames, registers });
    this.jobWaiting = gauge('duare_job_backlog', 'Rows waiting to be worked, per job.', ['job']);
    this.jobDue = gauge('duare_job_due', 'Waiting rows whose time has come, per job.', ['job']);
    this.jobOldest = gauge(
      'duare_job_oldest_age_seconds',
      'Age of the oldest waiting row, per job (0 when none waits).',
      ['job'],
    );
    this.notifications = gauge(
      'duare_notifications',
      'Notifications made in the last 24 hours (and all still waiting) by channel and status.',
      ['channel', 'status'],
    );
    this.whatsappErrors = gauge(
      'duare_whatsapp_send_errors',
      'WhatsApp notifications of the last 24 hours with an error, by error code; final="true" for those FAILED, "false" for those being retried.',
      ['code', 'final'],
    );
    this.open = gauge('duare_requests_open', 'Open requests per ward.', ['municipality', 'ward']);
    this.overdue = gauge(
      'duare_requests_overdue',
      'Open requests past their due time (not paused) per ward.',
      ['municipality', 'ward'],
    );
    this.scrapeOk = gauge(
      'duare_state_scrape_ok',
      '1 when the database answered the last scrape’s state queries, 0 when it did not.',
    );
    const pools = { api: dataSource, workers };
    new Gauge({
      name: 'duare_db_pool_connections',
      help: 'Database connections per pool (api, workers) by state: total, idle, and callers waiting for one.',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        for (const [name, source] of Object.entries(pools)) {
          const pool = poolOf(source);
          if (!pool) continue;
          this.set({ pool: name, state: 'total' }, pool.totalCount);
          this.set({ pool: name, state: 'idle' }, pool.idleCount);
          this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
        }
      },
    });
  }

  /** Runs the state queries (one short read-only transaction) and sets the gauges. */
  async refresh(): Promise<void> {
    const all = [
      this.jobWaiting,
      this.jobDue,
      this.jobOldest,
      this.notifications,
      this.whatsappErrors,
      this.open,
      this.overdue,
    ];
    for (const gauge of all) gauge.reset();
    try {
      const [jobs, notifications, errors, wards] = await this.dataSource.transaction(
        'READ COMMITTED',
        async (manager) => {
          await manager.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
          return [
            await manager.query(JOBS_SQL),
            await manager.query(NOTIFICATIONS_SQL),
            await manager.query(WHATSAPP_ERRORS_SQL),
            await manager.query(WARDS_SQL),
          ];
        },
      );
      for (const row of jobs) {
        this.jobWaiting.set({ job: row.job }, row.waiting);
        this.jobDue.set({ job: row.job }, row.due);
        this.jobOldest.set({ job: row.job }, row.oldest_age ?? 0);
      }
      for (const row of notifications) {
        this.notifications.inc({ channel: row.channel, status: row.status }, row.n);
      }
      for (const row of errors) {
        this.whatsappErrors.set({ code: row.code, final: String(row.final) }, row.n);
      }
      for (const row of wards) {
        const labels = { municipality: row.municipality, ward: String(row.ward) };
        this.open.set(labels, row.open);
        this.overdue.set(labels, row.overdue);
      }
      this.scrapeOk.set(1);
    } catch (error) {
      for (const gauge of all) gauge.reset();
      this.scrapeOk.set(0);
      this.logger.warn({ err: error }, 'metrics: the state queries failed; their gauges are empty');
    }
  }
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

function poolOf(source: DataSource): PgPool | null {
  const pool = (source.driver as unknown as { master?: PgPool }).master;
  return pool && typeof pool.totalCount === 'number' ? pool : null;
}
