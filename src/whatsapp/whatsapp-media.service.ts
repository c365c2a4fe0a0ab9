import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { backoffMs } from '../common/background/backoff';
import { BackgroundWorker } from '../jobs/background-worker';
import { measureStatusQueue } from '../jobs/queue-measure';
import { WorkerRegistry } from '../jobs/worker-registry';
import { storableText } from '../common/text/storable-text';
import { deleteBatch } from '../common/sql/delete-batch';
import { InjectWorkerDataSource } from '../database/worker-data-source';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { FileRefused, FilesService } from '../files/files.service';
import { RequestsService } from '../requests/requests.service';
import { WardsService } from '../wards/wards.service';
import { WhatsAppCloudClient } from '../whatsapp-cloud/whatsapp-cloud.client';

/** What is known of a file: type, size and checksum (hex), and the stored bytes. */
export interface MediaDescription {
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  fileId: string | null;
}

interface DueFetch {
  media_id: string;
  wamid: string;
  phone_number_id: string;
  attempts: number;
}

/** A failure not worth retrying: the file is too big, of a kind we refuse, or has no home. */
class Permanent extends Error {}

/**
 * Asks the Graph API about the files residents send, apart from their conversations: the
 * conversation keeps the file at once with what the webhook said, and a slow or failing
 * look-up is retried here with backoff, holding up no message. Staff see the outcome on the
 * message (`media.fetch`: PENDING, FETCHED or FAILED with the reason).
 */
@Injectable()
export class WhatsAppMediaService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: BackgroundWorker;

  constructor(
    @InjectWorkerDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly cloud: WhatsAppCloudClient,
    private readonly requests: RequestsService,
    private readonly files: FilesService,
    private readonly wards: WardsService,
    registry: WorkerRegistry,
  ) {
    this.worker = registry.create({
      name: 'whatsapp-media',
      settings: config.workers['whatsapp-media'],
      step: (worker) => this.fetchOne(worker),
      runAtStart: true,
      onError: (error) =>
        this.logger.warn({ err: error }, 'WhatsApp media look-ups failed; will retry'),
      measure: () =>
        measureStatusQueue(dataSource, {
          table: 'whatsapp_media_fetches',
          dueStatus: 'PENDING',
          failedStatus: 'FAILED',
          dueColumn: 'next_attempt_at',
          ageColumn: 'next_attempt_at',
        }),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }

  kick(): Promise<void> {
    return this.worker.kick();
  }

  /** Queues a look-up of a file a resident sent (once per media id), in the caller's transaction. */
  async track(
    manager: EntityManager,
    media: { mediaId: string; phoneNumberId: string; wamid: string },
  ): Promise<void> {
    if (!this.cloud.configured) return;
    await manager.query(
      `INSERT INTO whatsapp_media_fetches (media_id, phone_number_id, wamid) VALUES ($1, $2, $3)
       ON CONFLICT (media_id) DO NOTHING`,
      [media.mediaId, media.phoneNumberId, media.wamid],
    );
  }

  /** What was learnt of these files so far (fetched ones only), by media id. */
  async described(
    manager: EntityManager,
    mediaIds: string[],
  ): Promise<Map<string, MediaDescription>> {
    if (mediaIds.length === 0) return new Map();
    const rows = (await manager.query(
      `SELECT media_id, mime_type, file_size, sha256, file_id FROM whatsapp_media_fetches
        WHERE media_id = ANY($1::varchar[]) AND status = 'FETCHED'`,
      [mediaIds],
    )) as Array<{
      media_id: string;
      mime_type: string;
      file_size: number;
      sha256: string;
      file_id: string | null;
    }>;
    return new Map(
      rows.map((r) => [
        r.media_id,
        { mimeType: r.mime_type, sizeBytes: r.file_size, sha256: r.sha256, fileId: r.file_id },
      ]),
    );
  }

  /** Claims one due look-up (a lease, committed), asks WhatsApp outside any transaction, records. */
  private async fetchOne(worker: BackgroundWorker): Promise<boolean> {
    const [claimed] = (await this.dataSource.query(
      `UPDATE whatsapp_media_fetches SET attempts = attempts + 1,
              next_attempt_at = now() + make_interval(secs => $1::int)
        WHERE media_id = (SELECT media_id FROM whatsapp_media_fetches
                           WHERE status = 'PENDING' AND next_attempt_at <= now()
                           ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING media_id, wamid, phone_number_id, attempts`,
      [worker.settings.leaseSeconds],
    )) as [DueFetch[], number];
    const due = claimed[0];
    if (!due) return false;
    try {
      await this.recordFetched(due, await this.download(due));
    } catch (error) {
      await this.recordFailure(due, error);
    }
    return true;
  }

  /** Asks WhatsApp where the file is, downloads it (bounded) and keeps the bytes. */
  private async download(due: DueFetch): Promise<MediaDescription> {
    const ward = await this.wards.findByWhatsAppPhoneNumberId(due.phone_number_id);
    if (!ward) throw new Permanent('the helpline number belongs to no ward any more');
    const info = await this.cloud.mediaInfo(due.media_id);
    if (!info.url) throw new Error('the Graph API gave no URL for the file');
    const bytes = await this.cloud.downloadMedia(info.url, this.files.maxBytes);
    try {
      const file = await this.files.keep({
        municipalityId: ward.municipalityId,
        wardId: ward.id,
        bytes,
        source: 'WHATSAPP',
      });
      return {
        mimeType: file.mimeType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        fileId: file.id,
      };
    } catch (error) {
      if (error instanceof FileRefused) throw new Permanent(error.message);
      throw error;
    }
  }

  private async recordFetched(due: DueFetch, file: MediaDescription): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE whatsapp_media_fetches SET status = 'FETCHED', finished_at = now(), last_error = NULL,
                mime_type = $2, sha256 = $3, file_size = $4, file_id = $5
          WHERE media_id = $1`,
        [due.media_id, file.mimeType.slice(0, 100), file.sha256, file.sizeBytes, file.fileId],
      );
      await this.markMessage(manager, due.wamid, {
        fetch: 'FETCHED',
        mimeType: file.mimeType,
        fileSize: file.sizeBytes,
        sha256: file.sha256,
        fileId: file.fileId,
        downloadUrl: file.fileId ? FilesService.pathOf(file.fileId) : null,
      });
      await this.requests.describeWhatsAppMedia(manager, due.media_id, file);
    });
  }

  private async recordFailure(due: DueFetch, error: unknown): Promise<void> {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const cause = storableText(timedOut ? 'the Graph API did not answer in time' : error, 500);
    const give =
      error instanceof Permanent || due.attempts >= this.config.whatsapp.inboxMaxAttempts;
    const { inboxRetryBaseMs, inboxRetryMaxMs } = this.config.whatsapp;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE whatsapp_media_fetches
            SET status = CASE WHEN $2::boolean THEN 'FAILED' ELSE 'PENDING' END,
                finished_at = CASE WHEN $2::boolean THEN now() ELSE NULL END,
                last_error = $3::text,
                next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
          WHERE media_id = $1::varchar`,
        [due.media_id, give, cause, backoffMs(due.attempts, inboxRetryBaseMs, inboxRetryMaxMs)],
      );
      if (give) await this.markMessage(manager, due.wamid, { fetch: 'FAILED', fetchError: cause });
    });
    const context = { media: due.media_id, attempts: due.attempts, cause };
    if (give) this.logger.error(context, 'WhatsApp media look-up given up');
    else this.logger.warn(context, 'WhatsApp media look-up failed; will retry');
  }

  private async markMessage(
    manager: EntityManager,
    wamid: string,
    fields: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(
      `UPDATE whatsapp_messages SET media = coalesce(media, '{}'::jsonb) || $2::jsonb WHERE wamid = $1`,
      [wamid, JSON.stringify(fields)],
    );
  }

  /** Deletes up to `batch` finished look-ups older than the inbox retention. */
  purgeExpired(manager: EntityManager, now: Date, batch: number): Promise<number> {
    return deleteBatch(
      manager,
      'whatsapp_media_fetches',
      `SELECT ctid FROM whatsapp_media_fetches
        WHERE status <> 'PENDING' AND finished_at < $1::timestamptz - make_interval(days => $3)
        LIMIT $2`,
      [now, batch, this.config.whatsapp.inboxRetentionDays],
    );
  }
}

/** WhatsApp gives checksums as hex or base64; attachments keep hex. */
export function hexSha256(value: string): string | null {
  if (/^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase();
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : null;
}
