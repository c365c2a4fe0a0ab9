// Over 400 lines on purpose: endpoint administration and the delivery worker share the sealed
// signing secrets; if it grows, split worker from administration along that seam.
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { auditActorOf } from '../../audit/audit-actor';
import { AuditService } from '../../audit/audit.service';
import { assertAccess } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { NotFoundError } from '../../common/errors/app.error';
import { UserError, UserErrorCode, userError } from '../../common/errors/user-error.type';
import { assertUuid } from '../../common/graphql/uuid';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../../config/config.tokens';
import { backoffMs } from '../../common/background/backoff';
import { BackgroundWorker } from '../../jobs/background-worker';
import { measureQueue } from '../../jobs/queue-measure';
import { WorkerRegistry } from '../../jobs/worker-registry';
import { deleteBatch } from '../../common/sql/delete-batch';
import { InjectWorkerDataSource } from '../../database/worker-data-source';
import { DomainEventsService } from '../../domain-events/domain-events.service';
import { RecordedEvent } from '../../domain-events/event-map';
import { SecretBox } from '../../common/crypto/secret-box';
import { storableOrNull, storableText } from '../../common/text/storable';
import { postPinned, resolveTarget, urlProblem } from './url-guard';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entities';

/** Event types a receiver can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'request.created',
  'request.status_changed',
  'request.sla_breached',
  'certificate.issued',
  'certificate.revoked',
  'delivery.completed',
] as const;

const CHANNEL = 'duare_webhooks';
/** What webhook secrets are sealed for (bound to the ciphertext). */
const SECRET_CONTEXT = 'webhook_endpoints.secret';
const MAX_STEP_MS = 60 * 60 * 1000;
/** Bytes of a receiver's answer read at most; the rest is dropped unread. */
const RESPONSE_READ_BYTES = 4096;
/** Characters of an answer or error kept per attempt. */
const EXCERPT_CHARS = 500;

interface AttemptOutcome {
  statusCode: number | null;
  durationMs: number;
  excerpt: string | null;
  error: string | null;
}

/** "26 h", "45 min", "12 s": a disable reason that reads right whatever the retry period. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds >= 2 * 3600) return `${Math.round(seconds / 3600)} h`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} min`;
  return `${seconds} s`;
}

/** `sha256=` + HMAC-SHA256 over `timestamp.body` (what receivers recompute). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  attempts: number;
  give_up_at: Date;
  url: string;
  secret: string;
}

/**
 * Outbound webhooks. Each matching event becomes a delivery row in the event's own
 * transaction; a dispatcher in every instance claims due rows (`SKIP LOCKED`), POSTs them
 * signed, records every attempt, retries with backoff until `WEBHOOK_RETRY_SECONDS` have
 * passed, and then fails the delivery and disables the endpoint, saying why.
 */
@Injectable()
export class WebhooksService
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly worker: BackgroundWorker;
  private readonly box: SecretBox | null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectWorkerDataSource() private readonly workers: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly events: DomainEventsService,
    private readonly audit: AuditService,
    registry: WorkerRegistry,
  ) {
    const { secretsKey } = config.webhooks;
    this.box = secretsKey ? new SecretBox(secretsKey) : null;
    this.worker = registry.create({
      name: 'webhooks',
      settings: config.workers.webhooks,
      step: (worker) => this.sendBatch(worker),
      onError: (error) => this.logger.warn({ err: error }, 'webhook dispatch failed; will retry'),
      listen: { databaseUrl: (dataSource.options as { url: string }).url, channel: CHANNEL },
      runAtStart: true,
      measure: () =>
        measureQueue(
          this.workers,
          `SELECT count(*) FILTER (WHERE d.status = 'PENDING' AND e.status = 'ACTIVE'
                                   AND d.next_attempt_at <= now())::int AS due,
                  extract(epoch FROM now() - min(d.next_attempt_at)
                    FILTER (WHERE d.status = 'PENDING' AND e.status = 'ACTIVE'
                              AND d.next_attempt_at <= now()))::float AS oldest_due_seconds,
                  count(*) FILTER (WHERE d.status = 'FAILED')::int AS failed
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE d.status IN ('PENDING', 'FAILED')`,
        ),
    });
  }

  onModuleInit(): void {
    this.events.on(WEBHOOK_EVENT_TYPES, (manager, event) => this.enqueue(manager, event));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.sealStoredSecrets();
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Deliveries in flight finish (bounded by WEBHOOK_TIMEOUT_MS) and are recorded.
    await this.worker.stop();
  }

  /**
   * In the event's transaction: one delivery per matching endpoint, active or disabled. A
   * disabled endpoint's deliveries wait (they are not claimed) and go out, oldest first, when
   * it is enabled again; `WEBHOOK_RETENTION_DAYS` bounds how long they are kept.
   */
  private async enqueue(
    manager: EntityManager,
    event: RecordedEvent<(typeof WEBHOOK_EVENT_TYPES)[number]>,
  ): Promise<void> {
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      occurredAt: new Date().toISOString(),
      municipalityId: event.municipalityId,
      wardId: event.wardId,
      data: event.payload,
    });
    // The workers are woken in the same statement, if a delivery was queued (on commit).
    await manager.query(
      `WITH queued AS (
         INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, body, give_up_at)
         SELECT e.id, $2::uuid, $3::varchar, $4::text, now() + make_interval(secs => $5)
           FROM webhook_endpoints e
          WHERE e.municipality_id = $1 AND e.status IN ('ACTIVE', 'DISABLED') AND e.event_types ? $3::text
            AND (jsonb_array_length(e.ward_ids) = 0 OR e.ward_ids ? coalesce($6::text, ''))
         ON CONFLICT (endpoint_id, event_id) DO NOTHING
         RETURNING id
       )
       SELECT pg_notify($7, '') FROM (SELECT 1 FROM queued LIMIT 1) AS any_queued`,
      [
        event.municipalityId,
        event.id,
        event.type,
        body,
        this.config.webhooks.retrySeconds,
        event.wardId,
        CHANNEL,
      ],
    );
  }

  /**
   * With a key: seals the secrets stored before it was set, and proves it opens the sealed
   * ones (a wrong key stops the start, not every delivery later). Without one: refuses to
   * start over sealed secrets it could not sign with.
   */
  private async sealStoredSecrets(): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT id, secret FROM webhook_endpoints`,
    )) as Array<{ id: string; secret: string }>;
    const sealed = rows.filter((row) => SecretBox.isSealed(row.secret));
    if (!this.box) {
      if (sealed.length)
        throw new Error(
          `SECRETS_ENCRYPTION_KEY is not set, but ${sealed.length} webhook secrets are sealed with it`,
        );
      if (this.config.isProduction && rows.length)
        this.logger.warn('SECRETS_ENCRYPTION_KEY is not set: webhook secrets are stored unsealed');
      return;
    }
    for (const row of sealed) {
      try {
        this.box.open(row.secret, SECRET_CONTEXT);
      } catch {
        throw new Error('SECRETS_ENCRYPTION_KEY does not open the stored webhook secrets');
      }
    }
    for (const row of rows.filter((r) => !SecretBox.isSealed(r.secret))) {
      // Another instance starting at once may have sealed it already: only seal the plain one.
      await this.dataSource.query(
        `UPDATE webhook_endpoints SET secret = $3 WHERE id = $1 AND secret = $2`,
        [row.id, row.secret, this.box.seal(row.secret, SECRET_CONTEXT)],
      );
    }
  }

  /** The stored form of a new endpoint's secret. */
  private storedSecret(secret: string): string {
    return this.box ? this.box.seal(secret, SECRET_CONTEXT) : secret;
  }

  /** The secret to sign with, from its stored form. */
  private signingSecret(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    if (!this.box) throw new Error('a sealed webhook secret and no SECRETS_ENCRYPTION_KEY');
    return this.box.open(stored, SECRET_CONTEXT);
  }

  /**
   * Sends what is due; resolves when nothing due is left and the deliveries in flight have
   * been recorded (tests wait on it; the dispatcher itself never waits for a delivery).
   */
  kick(): Promise<void> {
    return this.worker.kick();
  }

  /**
   * Claims what is due and starts sending it; false when nothing could be claimed. No batch
   * barrier: each delivery finishes on its own and wakes the loop, so a slow receiver holds
   * only its own slots (`WEBHOOK_ENDPOINT_CONCURRENCY`, counted across instances through the
   * live claims) and never the other endpoints'.
   */
  private async sendBatch(worker: BackgroundWorker): Promise<boolean> {
    await this.parkLostClaims();
    const room = Math.min(worker.settings.batch, worker.room());
    if (room <= 0) return false;
    const { maxAttempts, endpointConcurrency } = this.config.webhooks;
    const claimSeconds = worker.settings.leaseSeconds;
    const [claimed] = (await this.workers.query(
      `UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, locked_until = now() + make_interval(secs => $2)
         FROM webhook_endpoints e
        WHERE e.id = d.endpoint_id AND d.id IN (
          SELECT r.id FROM (
            SELECT c.id, c.seq, row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.seq) AS nth,
                   (SELECT count(*) FROM webhook_deliveries f
                     WHERE f.endpoint_id = c.endpoint_id AND f.status = 'PENDING'
                       AND f.locked_until >= now()) AS busy
              FROM webhook_deliveries c JOIN webhook_endpoints ce ON ce.id = c.endpoint_id
             WHERE c.status = 'PENDING' AND ce.status = 'ACTIVE' AND c.next_attempt_at <= now()
               AND (c.locked_until IS NULL OR c.locked_until < now()) AND c.attempts < $3) r
           WHERE r.nth + r.busy <= $4
           ORDER BY r.seq LIMIT $1)
          AND (d.locked_until IS NULL OR d.locked_until < now()) AND d.status = 'PENDING'
      RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts, d.give_up_at,
                e.url, e.secret`,
      [room, claimSeconds, maxAttempts, endpointConcurrency],
    )) as [ClaimedDelivery[], number];
    for (const delivery of claimed) {
      worker.track(
        this.deliver(delivery).catch((error) =>
          this.logger.error({ err: error, delivery: delivery.id }, 'webhook delivery failed'),
        ),
      );
    }
    return claimed.length > 0;
  }

  /**
   * A claim that ran out without an outcome recorded (the instance died, or could not write)
   * is taken again only while attempts are left; after the last one the delivery is parked
   * FAILED with the cause, never posted again by itself.
   */
  private async parkLostClaims(): Promise<void> {
    const parked = (await this.workers.query(
      `UPDATE webhook_deliveries SET status = 'FAILED', locked_until = NULL,
              last_error = 'parked: ' || attempts || ' attempts without a recorded outcome'
                           || coalesce('; last error: ' || left(last_error, 400), '')
        WHERE status = 'PENDING' AND locked_until < now() AND attempts >= $1
       RETURNING id, endpoint_id`,
      [this.config.webhooks.maxAttempts],
    )) as [Array<{ id: string; endpoint_id: string }>, number];
    for (const row of parked[0] ?? []) {
      this.logger.error(
        { delivery: row.id, endpoint: row.endpoint_id },
        'webhook delivery parked: its outcome could not be recorded',
      );
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const started = Date.now();
    let statusCode: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = null;
    try {
      const target = await resolveTarget(delivery.url, this.config.webhooks.allowPrivateUrls);
      if ('problem' in target) {
        error = `refused: ${target.problem}`;
      } else {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const response = await postPinned(target, {
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Duare-Webhooks/1',
            'x-duare-event-id': delivery.event_id,
            'x-duare-event-type': delivery.event_type,
            'x-duare-timestamp': timestamp,
            'x-duare-signature': webhookSignature(
              this.signingSecret(delivery.secret),
              timestamp,
              delivery.body,
            ),
          },
          body: delivery.body,
          timeoutMs: this.config.webhooks.timeoutMs,
          maxResponseBytes: RESPONSE_READ_BYTES,
        });
        statusCode = response.status;
        excerpt = response.text;
      }
    } catch (caught) {
      error = (caught as Error)?.message ?? String(caught);
    }
    const outcome: AttemptOutcome = {
      statusCode,
      durationMs: Math.min(Date.now() - started, 2_000_000_000),
      excerpt: storableOrNull(excerpt, EXCERPT_CHARS),
      error: storableOrNull(error, EXCERPT_CHARS),
    };
    try {
      await this.record(delivery, outcome);
    } catch (failure) {
      await this.recordFallback(delivery, outcome, failure);
    }
  }

  /** The attempt and what it means for the delivery (and its endpoint), in one transaction. */
  private async record(delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    const { statusCode, error } = outcome;
    await this.workers.transaction(async (manager) => {
      await manager.insert(WebhookAttempt, {
        deliveryId: delivery.id,
        statusCode,
        durationMs: outcome.durationMs,
        responseExcerpt: outcome.excerpt,
        error,
      });
      if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
        await manager.query(
          `UPDATE webhook_deliveries SET status = 'SUCCEEDED', delivered_at = now(), locked_until = NULL,
                  last_status_code = $2, last_error = NULL WHERE id = $1`,
          [delivery.id, statusCode],
        );
        return;
      }
      const wait = this.retryInMs(delivery.attempts);
      const timeLeft = Date.now() + wait < new Date(delivery.give_up_at).getTime();
      if (timeLeft && delivery.attempts < this.config.webhooks.maxAttempts) {
        await manager.query(
          `UPDATE webhook_deliveries SET locked_until = NULL, last_status_code = $2, last_error = $3,
                  next_attempt_at = now() + make_interval(secs => $4::float / 1000) WHERE id = $1`,
          [delivery.id, statusCode, error, wait],
        );
        return;
      }
      await manager.query(
        `UPDATE webhook_deliveries SET status = 'FAILED', locked_until = NULL, last_status_code = $2,
                last_error = $3 WHERE id = $1`,
        [delivery.id, statusCode, error],
      );
      const reason = storableText(
        `deliveries have failed for ${formatSpan(Date.now() - new Date(delivery.give_up_at).getTime() + this.config.webhooks.retrySeconds * 1000)} (${delivery.attempts} attempts); last answer: ${statusCode ?? error}`,
        1000,
      );
      await manager.query(
        `UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = $2, disabled_at = now(),
                version = version + 1, updated_at = now() WHERE id = $1 AND status = 'ACTIVE'`,
        [delivery.endpoint_id, reason],
      );
      this.logger.warn(
        { endpoint: delivery.endpoint_id, status: statusCode, reason },
        'webhook endpoint disabled',
      );
    });
  }

  /**
   * The attempt could not be recorded (whatever the reason): one plain statement that
   * cannot fail on content releases the claim with the cause, or parks the delivery FAILED
   * when its attempts are used up. If even that fails (the database is gone), the claim runs
   * out and `parkLostClaims` bounds it by the attempt count.
   */
  private async recordFallback(
    delivery: ClaimedDelivery,
    outcome: AttemptOutcome,
    failure: unknown,
  ): Promise<void> {
    const cause = storableText(
      `the outcome (${outcome.statusCode ?? outcome.error}) could not be recorded: ${(failure as Error)?.message ?? failure}`,
      EXCERPT_CHARS,
    );
    this.logger.error(
      { err: failure, delivery: delivery.id },
      'could not record a webhook attempt',
    );
    try {
      await this.workers.query(
        `UPDATE webhook_deliveries
            SET locked_until = NULL, last_error = $2, last_status_code = $3,
                status = CASE WHEN attempts >= $4 OR give_up_at <= now() THEN 'FAILED' ELSE status END,
                next_attempt_at = now() + make_interval(secs => $5::float / 1000)
          WHERE id = $1 AND status = 'PENDING'`,
        [
          delivery.id,
          cause,
          outcome.statusCode,
          this.config.webhooks.maxAttempts,
          this.retryInMs(delivery.attempts),
        ],
      );
    } catch (error) {
      this.logger.error(
        { err: error, delivery: delivery.id },
        'could not release a webhook claim; it runs out by itself',
      );
    }
  }

  /**
   * Housekeeping: finished deliveries (their attempts cascade) older than
   * `WEBHOOK_RETENTION_DAYS`, and deliveries kept that long for an endpoint still disabled.
   */
  async purgeExpired(manager: EntityManager, now: Date, batch: number): Promise<number> {
    return deleteBatch(
      manager,
      'webhook_deliveries',
      `(SELECT ctid FROM webhook_deliveries
         WHERE status <> 'PENDING' AND created_at < $1::timestamptz - make_interval(days => $3)
         LIMIT $2)
       UNION ALL
       (SELECT d.ctid FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'PENDING' AND e.status = 'DISABLED'
           AND d.created_at < $1::timestamptz - make_interval(days => $3)
         LIMIT $2)`,
      [now, batch, this.config.webhooks.retentionDays],
    );
  }

  /** The one backoff policy (exponential with jitter), from `WEBHOOK_RETRY_BASE_MS`. */
  private retryInMs(attempts: number): number {
    return backoffMs(attempts, this.config.webhooks.retryBaseMs, MAX_STEP_MS);
  }

  async create(
    actor: Actor,
    input: { url: string; eventTypes: string[]; wardIds?: string[] | null },
  ): Promise<{ endpoint: WebhookEndpoint | null; secret: string | null; errors: UserError[] }> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.WEBHOOKS_MANAGE,
      'Webhook endpoint',
    );
    const errors: UserError[] = [];
    const url = (input.url ?? '').trim();
    const problem =
      url.length > 2000
        ? 'must be at most 2,000 characters'
        : await urlProblem(url, this.config.webhooks.allowPrivateUrls);
    if (problem) errors.push(userError(UserErrorCode.INVALID, 'url', problem));
    const unknown = input.eventTypes.filter(
      (t) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(t),
    );
    if (input.eventTypes.length === 0)
      errors.push(userError(UserErrorCode.REQUIRED, 'eventTypes', 'name at least one event type'));
    if (unknown.length) {
      errors.push(
        userError(
          UserErrorCode.INVALID,
          'eventTypes',
          `unknown: ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
        ),
      );
    }
    const wardIds = (input.wardIds ?? []).map((w) => assertUuid(w, 'wardIds'));
    if (
      actor.type === 'API_CLIENT' &&
      actor.wardIds.length &&
      wardIds.some((w) => !actor.wardIds.includes(w))
    ) {
      errors.push(userError(UserErrorCode.NOT_FOUND, 'wardIds', 'a ward outside this key’s wards'));
    } else if (!(await this.allWardsOf(actor.municipalityId, wardIds))) {
      // Another municipality's ward (or none): refused like one outside the key's wards.
      errors.push(
        userError(UserErrorCode.NOT_FOUND, 'wardIds', 'a ward outside this municipality'),
      );
    }
    if (errors.length) return { endpoint: null, secret: null, errors };
    // A key limited to some wards only ever receives events of those wards.
    const scoped = wardIds.length ? wardIds : actor.type === 'API_CLIENT' ? actor.wardIds : [];
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const endpoint = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(WebhookEndpoint, {
          municipalityId: actor.municipalityId,
          ownerType: actor.type,
          ownerId: actor.id,
          url,
          eventTypes: [...new Set(input.eventTypes)],
          wardIds: scoped,
          secret: this.storedSecret(secret),
        }),
      );
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'webhook_endpoint.created',
        entityType: 'WebhookEndpoint',
        entityId: saved.id,
        municipalityId: actor.municipalityId,
        changes: { url, eventTypes: saved.eventTypes, wardIds: scoped },
      });
      return saved;
    });
    return { endpoint, secret, errors: [] };
  }

  /** Whether every one of `wardIds` is a ward of the municipality. */
  private async allWardsOf(municipalityId: string, wardIds: string[]): Promise<boolean> {
    if (wardIds.length === 0) return true;
    const [{ found }] = await this.dataSource.query(
      `SELECT count(*)::int AS found FROM wards WHERE municipality_id = $1 AND id = ANY($2::uuid[])`,
      [municipalityId, [...new Set(wardIds)]],
    );
    return found === new Set(wardIds).size;
  }

  async list(actor: Actor): Promise<WebhookEndpoint[]> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.WEBHOOKS_MANAGE,
      'Webhook endpoint',
    );
    return this.dataSource.getRepository(WebhookEndpoint).find({
      where: {
        municipalityId: actor.municipalityId,
        ...(actor.type === 'API_CLIENT' ? { ownerId: actor.id } : {}),
      },
      order: { createdAt: 'ASC' },
    });
  }

  /** An endpoint the caller may manage: API clients only their own. */
  async getVisible(actor: Actor, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.dataSource
      .getRepository(WebhookEndpoint)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!endpoint || (actor.type === 'API_CLIENT' && endpoint.ownerId !== actor.id)) {
      throw new NotFoundError('Webhook endpoint');
    }
    assertAccess(actor, endpoint, Permission.WEBHOOKS_MANAGE, 'Webhook endpoint');
    return endpoint;
  }

  deliveriesOf(endpointId: string): Promise<WebhookDelivery[]> {
    return this.dataSource
      .getRepository(WebhookDelivery)
      .find({ where: { endpointId }, order: { seq: 'DESC' }, take: 100 });
  }

  attemptsOf(deliveryId: string): Promise<WebhookAttempt[]> {
    return this.dataSource
      .getRepository(WebhookAttempt)
      .find({ where: { deliveryId }, order: { attemptedAt: 'ASC' } });
  }

  /** Sends a delivery again now, whatever became of it (the event id stays the same). */
  async redeliver(actor: Actor, deliveryId: string): Promise<WebhookDelivery> {
    const delivery = await this.dataSource
      .getRepository(WebhookDelivery)
      .findOneBy({ id: assertUuid(deliveryId, 'deliveryId') });
    if (!delivery) throw new NotFoundError('Webhook delivery');
    await this.getVisible(actor, delivery.endpointId);
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now(), locked_until = NULL,
              attempts = 0, give_up_at = greatest(give_up_at, now() + make_interval(secs => $2)) WHERE id = $1`,
      [delivery.id, this.config.webhooks.retrySeconds],
    );
    this.worker.wake();
    return this.dataSource.getRepository(WebhookDelivery).findOneByOrFail({ id: delivery.id });
  }

  /**
   * Turns a disabled endpoint back on. Everything that happened while it was disabled (its
   * deliveries kept PENDING) goes out now, oldest first, each with a fresh retry period.
   */
  async enable(actor: Actor, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.getVisible(actor, id);
    await this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(WebhookEndpoint)
        .update({ id: endpoint.id }, { status: 'ACTIVE', disabledReason: null, disabledAt: null });
      await manager.query(
        `UPDATE webhook_deliveries SET next_attempt_at = now(), attempts = 0,
                give_up_at = greatest(give_up_at, now() + make_interval(secs => $2))
          WHERE endpoint_id = $1 AND status = 'PENDING'`,
        [endpoint.id, this.config.webhooks.retrySeconds],
      );
    });
    this.worker.wake();
    return this.getVisible(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<boolean> {
    const endpoint = await this.getVisible(actor, id);
    await this.dataSource.getRepository(WebhookEndpoint).delete({ id: endpoint.id });
    return true;
  }
}
