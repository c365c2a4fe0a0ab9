import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { shortReference } from '../certificates/certificate-content';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import type { ServiceRequest } from '../requests/entities/service-request.entity';
import { RequestsService } from '../requests/requests.service';
import { ServiceCatalogueService } from '../requests/catalogue/service-catalogue.service';
import { ResidentLanguage } from '../residents/entities/resident-enums';
import { ResidentsService } from '../residents/residents.service';
import { TrackingLink } from './tracking-link.entity';
import { TrackingView } from './tracking-page';
import { nextStepWords, PageLanguage, STATUS_WORDS } from './tracking-page-text';
import { isTokenShaped, newNonce, tokenHash, tokenOf, trackingKey } from './tracking-token';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A link works this long after the request reaches its outcome. */
export const TRACKING_LINK_DAYS_AFTER_END = 30;
/** Pages per client address and minute: a person reloads, a scanner is stopped. */
export const TRACKING_PAGES_PER_MINUTE = 30;

const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;
const indianDay = (instant: Date) =>
  new Date(instant.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);

/** A request's link as staff see it. */
export interface IssuedTrackingLink {
  url: string;
  createdAt: Date;
  /** Null while the request is open (the link lasts until 30 days after its outcome). */
  expiresAt: Date | null;
}

type RequestRef = Pick<ServiceRequest, 'id' | 'wardId' | 'municipalityId' | 'completedAt'>;

/** Public tracking links: issued with the acknowledgement, opened without any account. */
@Injectable()
export class TrackingLinksService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rateLimiter: RateLimiterService,
    private readonly requests: RequestsService,
    private readonly residents: ResidentsService,
    private readonly catalogue: ServiceCatalogueService,
  ) {
    this.key = trackingKey(config.auth.jwtSecret);
  }

  /** Outside any transaction (reads of the link). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** The request's live link, issued on first use (in the caller's transaction). */
  async linkFor(manager: EntityManager, request: RequestRef): Promise<IssuedTrackingLink> {
    const link =
      (await this.liveOrIssued(manager, request)) ?? (await this.issue(manager, request));
    return this.describe(link, request);
  }

  /**
   * The live link, or a new one issued — in one statement (a new request's acknowledgement
   * used to read, insert and read again). Null only when another transaction issued the link
   * meanwhile (the insert then does nothing and this statement cannot see that row).
   */
  private async liveOrIssued(
    manager: EntityManager,
    request: RequestRef,
  ): Promise<Pick<TrackingLink, 'nonce' | 'createdAt'> | null> {
    const nonce = newNonce();
    const rows = (await manager.query(
      `WITH live AS (
         SELECT nonce, created_at FROM tracking_links
          WHERE ward_id = $2 AND request_id = $3 AND revoked_at IS NULL
       ), issued AS (
         INSERT INTO tracking_links (municipality_id, ward_id, request_id, nonce, token_hash)
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM live)
         ON CONFLICT (ward_id, request_id) WHERE revoked_at IS NULL DO NOTHING
         RETURNING nonce, created_at
       )
       SELECT nonce, created_at AS "createdAt" FROM live
       UNION ALL
       SELECT nonce, created_at FROM issued`,
      [
        request.municipalityId,
        request.wardId,
        request.id,
        nonce,
        tokenHash(tokenOf(this.key, nonce)),
      ],
    )) as Array<Pick<TrackingLink, 'nonce' | 'createdAt'>>;
    return rows[0] ?? null;
  }

  /** Revokes the live link (a leaked one); the next read issues a new one. */
  async revoke(actor: Actor, requestId: string): Promise<IssuedTrackingLink> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.requests.getVisible(actor, requestId);
      assertAccess(actor, request, Permission.REQUESTS_WRITE, 'Request');
      await manager.update(
        TrackingLink,
        { requestId: request.id, revokedAt: IsNull() },
        {
          revokedAt: new Date(),
          revokedByName: actor.type === 'STAFF' ? actor.displayName : actor.name,
        },
      );
      return this.linkFor(manager, request);
    });
  }

  /**
   * What the page of a token shows; null for an unknown, revoked or expired token (the
   * page does not say which). Rate-limited per client address before any lookup.
   */
  async view(token: string, clientAddress: string): Promise<TrackingView | null> {
    await this.rateLimiter.hit(`track:${clientAddress}`, TRACKING_PAGES_PER_MINUTE, 60);
    if (!isTokenShaped(token)) return null;
    const link = await this.dataSource
      .getRepository(TrackingLink)
      .findOneBy({ tokenHash: tokenHash(token), revokedAt: IsNull() });
    if (!link) return null;
    const request = await this.requests.findById(link.requestId);
    if (!request || this.expired(request, new Date())) return null;
    return this.viewOf(request);
  }

  private expired(request: RequestRef, now: Date): boolean {
    const expiresAt = this.expiresAt(request);
    return expiresAt !== null && expiresAt <= now;
  }

  private expiresAt(request: RequestRef): Date | null {
    return request.completedAt
      ? new Date(request.completedAt.getTime() + TRACKING_LINK_DAYS_AFTER_END * DAY_MS)
      : null;
  }

  /** By ward and request: the live-link index leads with the ward (a request keeps its ward). */
  private liveLink(manager: EntityManager, request: RequestRef): Promise<TrackingLink | null> {
    return manager.findOneBy(TrackingLink, {
      wardId: request.wardId,
      requestId: request.id,
      revokedAt: IsNull(),
    });
  }

  /** Inserts a link; a concurrent issuer may win the race, whose link is then used. */
  private async issue(manager: EntityManager, request: RequestRef): Promise<TrackingLink> {
    const nonce = newNonce();
    await manager.query(
      `INSERT INTO tracking_links (municipality_id, ward_id, request_id, nonce, token_hash)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (ward_id, request_id) WHERE revoked_at IS NULL DO NOTHING`,
      [
        request.municipalityId,
        request.wardId,
        request.id,
        nonce,
        tokenHash(tokenOf(this.key, nonce)),
      ],
    );
    return (await this.liveLink(manager, request))!;
  }

  private describe(
    link: Pick<TrackingLink, 'nonce' | 'createdAt'>,
    request: RequestRef,
  ): IssuedTrackingLink {
    return {
      url: `${this.config.certificates.publicBaseUrl}/t/${tokenOf(this.key, link.nonce)}`,
      createdAt: link.createdAt,
      expiresAt: this.expiresAt(request),
    };
  }

  private async viewOf(request: ServiceRequest): Promise<TrackingView | null> {
    const manager = this.dataSource.manager;
    const resident = await this.residents.findInMunicipality(
      request.municipalityId,
      request.residentId,
      manager,
    );
    const definition = await this.catalogue.definitionAt(
      request.serviceTypeId,
      request.definitionVersion,
      manager,
    );
    if (!resident || !definition) return null;
    const language: PageLanguage = resident.preferredLanguage === ResidentLanguage.EN ? 'en' : 'bn';
    const open = request.completedAt === null;
    // An erased resident's name is gone: no initial either.
    const initial = resident.erasedAt ? null : ([...resident.fullName.trim()][0] ?? null);
    return {
      language,
      trackingNumber: request.trackingNumber,
      serviceName: language === 'bn' ? definition.nameBn : definition.nameEn,
      applicantInitial: initial,
      statusWords: STATUS_WORDS[request.status][language],
      nextStep: nextStepWords(request.status, request.category)?.[language] ?? null,
      dueDate: open ? indianDay(request.slaDueAt) : null,
      delivery: open ? await this.deliveryOf(request.id) : null,
      verifyUrl: await this.verifyUrlOf(request.id),
      timeline: await this.timelineOf(request.id, language),
    };
  }

  /**
   * The status steps only: notes, names and files stay with staff. Read-only SQL over the
   * request's journal (the requests module keeps no public read model of it).
   */
  private async timelineOf(requestId: string, language: PageLanguage) {
    const rows = (await this.dataSource.query(
      `SELECT kind, to_status, occurred_at FROM request_events
        WHERE request_id = $1 AND kind IN ('CREATED', 'STATUS_CHANGED')
        ORDER BY occurred_at, id LIMIT 50`,
      [requestId],
    )) as Array<{ kind: string; to_status: keyof typeof STATUS_WORDS | null; occurred_at: Date }>;
    return rows.map((row) => ({
      date: indianDay(row.occurred_at),
      words: STATUS_WORDS[row.kind === 'CREATED' ? 'SUBMITTED' : row.to_status!][language],
    }));
  }

  /** The window of the delivery under way (deliveries depend on notifications, so SQL). */
  private async deliveryOf(requestId: string) {
    const [row] = (await this.dataSource.query(
      `SELECT to_char(scheduled_date, 'YYYY-MM-DD') AS date, window_start, window_end
         FROM deliveries WHERE request_id = $1 AND status IN ('SCHEDULED', 'ON_THE_WAY', 'LOCKED')
        ORDER BY created_at DESC LIMIT 1`,
      [requestId],
    )) as Array<{ date: string; window_start: string; window_end: string }>;
    return row
      ? { date: row.date, windowStart: row.window_start, windowEnd: row.window_end }
      : null;
  }

  private async verifyUrlOf(requestId: string): Promise<string | null> {
    const [row] = (await this.dataSource.query(
      `SELECT number, verification_code FROM certificates
        WHERE request_id = $1 AND status = 'ISSUED' ORDER BY issued_at DESC LIMIT 1`,
      [requestId],
    )) as Array<{ number: string; verification_code: string }>;
    return row
      ? `${this.config.certificates.publicBaseUrl}/v/${shortReference(row.number, row.verification_code)}`
      : null;
  }
}
