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
import { DrainLoop } from '../../common/background/drain-loop';
import { PgListener } from '../../database/pg-listener';
import {
  DomainEventReactor,
  DomainEventsService,
  RecordedEvent,
} from '../../domain-events/domain-events.service';
import { SecretBox } from '../../common/crypto/secret-box';
import { urlProblem } from './url-guard';
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
const CLAIM_SECONDS = 120;
const MAX_STEP_MS = 60 * 60 * 1000;

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
  implements DomainEventReactor, OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly listener: PgListener;
  private timer: NodeJS.Timeout | null = null;
  private readonly box: SecretBox | null;
  private readonly loop = new DrainLoop(
    () => this.sendBatch(),
    (error) => this.logger.warn({ err: error }, 'webhook dispatch failed; will retry'),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly events: DomainEventsService,
    private readonly audit: AuditService,
  ) {
    const { secretsKey } = config.webhooks;
    this.box = secretsKey ? new SecretBox(secretsKey) : null;
    this.listener = new PgListener(
      (dataSource.options as { url: string }).url,
      CHANNEL,
      () => void this.kick(),
    );
  }

  onModuleInit(): void {
    this.events.addReactor(this);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.sealStoredSecrets();
    this.loop.start();
    void this.listener.start();
    this.timer = setInterval(() => void this.kick(), this.config.notifications.pollMs);
    void this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.listener.stop();
    await this.loop.stop();
  }

  /** In the event's transaction: one delivery per matching active endpoint. */
  async react(manager: EntityManager, event: RecordedEvent): Promise<void> {
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.type)) return;
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      occurredAt: new Date().toISOString(),
      municipalityId: event.municipalityId,
      wardId: event.wardId,
      data: event.payload,
    });
    const inserted: unknown[] = await manager.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, body, give_up_at)
       SELECT e.id, $2::uuid, $3::varchar, $4::text, now() + make_interval(secs => $5)
         FROM webhook_endpoints e
        WHERE e.municipality_id = $1 AND e.status = 'ACTIVE' AND e.event_types ? $3::text
          AND (jsonb_array_length(e.ward_ids) = 0 OR e.ward_ids ? coalesce($6::text, ''))
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING id`,
      [
        event.municipalityId,
        event.id,
        event.type,
        body,
        this.config.webhooks.retrySeconds,
        event.wardId,
      ],
    );
    if (inserted.length > 0) await manager.query(`SELECT pg_notify($1, '')`, [CHANNEL]);
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

  /** Sends what is due; resolves when nothing due is left. */
  kick(): Promise<void> {
    return this.loop.kick();
  }

  /** Claims and sends one batch; false when nothing was due. */
  private async sendBatch(): Promise<boolean> {
    const [claimed] = (await this.dataSource.query(
      `UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, locked_until = now() + make_interval(secs => ${CLAIM_SECONDS})
         FROM webhook_endpoints e
        WHERE e.id = d.endpoint_id AND d.id IN (
          SELECT c.id FROM webhook_deliveries c JOIN webhook_endpoints ce ON ce.id = c.endpoint_id
           WHERE c.status = 'PENDING' AND ce.status = 'ACTIVE' AND c.next_attempt_at <= now()
             AND (c.locked_until IS NULL OR c.locked_until < now())
           ORDER BY c.seq LIMIT 20 FOR UPDATE OF c SKIP LOCKED)
      RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts, d.give_up_at,
                e.url, e.secret`,
    )) as [ClaimedDelivery[], number];
    await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    return claimed.length > 0;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const started = Date.now();
    const problem = await urlProblem(delivery.url, this.config.webhooks.allowPrivateUrls);
    let statusCode: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = problem ? `refused: ${problem}` : null;
    if (!problem) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          redirect: 'manual',
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
          signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
        });
        statusCode = response.status;
        excerpt = (await response.text().catch(() => '')).slice(0, 500);
      } catch (caught) {
        error = String((caught as Error).message).slice(0, 500);
      }
    }
    const durationMs = Date.now() - started;
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(WebhookAttempt, {
        deliveryId: delivery.id,
        statusCode,
        durationMs,
        responseExcerpt: excerpt,
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
      const wait = this.backoffMs(delivery.attempts);
      if (Date.now() + wait < new Date(delivery.give_up_at).getTime()) {
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
      const reason = `deliveries have failed for ${Math.round(this.config.webhooks.retrySeconds / 3600)} h; last answer: ${statusCode ?? error}`;
      await manager.query(
        `UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = $2, disabled_at = now(),
                version = version + 1, updated_at = now() WHERE id = $1 AND status = 'ACTIVE'`,
        [delivery.endpoint_id, reason],
      );
      this.logger.warn(
        { endpoint: delivery.endpoint_id, status: statusCode },
        'webhook endpoint disabled',
      );
    });
  }

  private backoffMs(attempts: number): number {
    const step = Math.min(
      MAX_STEP_MS,
      this.config.webhooks.retryBaseMs * 2 ** Math.max(0, attempts - 1),
    );
    return Math.round(step * (0.5 + Math.random() / 2));
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
              give_up_at = greatest(give_up_at, now() + make_interval(secs => $2)) WHERE id = $1`,
      [delivery.id, this.config.webhooks.retrySeconds],
    );
    void this.kick();
    return this.dataSource.getRepository(WebhookDelivery).findOneByOrFail({ id: delivery.id });
  }

  /** Turns a disabled endpoint back on; its pending deliveries go out again. */
  async enable(actor: Actor, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.getVisible(actor, id);
    await this.dataSource
      .getRepository(WebhookEndpoint)
      .update({ id: endpoint.id }, { status: 'ACTIVE', disabledReason: null, disabledAt: null });
    void this.kick();
    return this.getVisible(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<boolean> {
    const endpoint = await this.getVisible(actor, id);
    await this.dataSource.getRepository(WebhookEndpoint).delete({ id: endpoint.id });
    return true;
  }
}
