import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { auditActorOf } from '../../audit/audit-actor';
import { assertAccess, ForbiddenError } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { UserError, UserErrorCode, userError } from '../../common/errors/user-error.type';
import { assertUuid } from '../../common/graphql/uuid';
import { normalizeText } from '../../common/text/normalize';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import { lockRow } from '../../database/row-lock';
import type { StoredFile } from '../../files/stored-file.entity';
import { RequestAttachment } from '../entities/request-attachment.entity';
import { RequestDocumentWaiver } from '../entities/request-document-waiver.entity';
import { AttachmentKind, AttachmentSource, TimelineEntryKind } from '../entities/request-enums';
import { RequiredDocument, ServiceDefinition } from '../entities/service-definition';
import { ServiceRequest } from '../entities/service-request.entity';
import { ServiceTypeVersion } from '../entities/service-type-version.entity';
import { RequestJournalService } from '../request-journal.service';
import { Refusal } from '../../common/errors/refusal';
import { COMPLETED_STATUSES } from '../workflow/request-workflow';

/** How long an upload URL works: long enough to pick a photo, short enough to be useless later. */
export const UPLOAD_URL_SECONDS = 600;

export interface UploadGrant {
  /** The request, the document, who may upload and until when (epoch seconds). */
  r: string;
  d: string;
  a: string;
  exp: number;
}

const kindOf = (mimeType: string): AttachmentKind =>
  mimeType.startsWith('image/')
    ? AttachmentKind.IMAGE
    : mimeType.startsWith('audio/')
      ? AttachmentKind.AUDIO
      : mimeType.startsWith('video/')
        ? AttachmentKind.VIDEO
        : AttachmentKind.DOCUMENT;

const describe = (d: RequiredDocument) => `${d.code} (${d.labelEn} / ${d.labelBn})`;

/**
 * The documents a service asks for, on one request: staff upload them through a short-lived
 * upload URL, a coordinator may waive one with a reason, and approval waits for the rest.
 */
@Injectable()
export class RequestDocumentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly journal: RequestJournalService,
  ) {}

  /** The required documents neither attached nor waived: what blocks approval. */
  async missing(
    manager: EntityManager,
    request: ServiceRequest,
    definition: ServiceDefinition,
  ): Promise<RequiredDocument[]> {
    const required = (definition.documents ?? []).filter((d) => d.required);
    if (required.length === 0) return [];
    const [attached, waived] = await Promise.all([
      manager.findBy(RequestAttachment, { requestId: request.id }),
      manager.findBy(RequestDocumentWaiver, { requestId: request.id }),
    ]);
    const present = new Set([
      ...attached.map((a) => a.documentCode),
      ...waived.map((w) => w.documentCode),
    ]);
    return required.filter((d) => !present.has(d.code));
  }

  /** One error per missing document, naming it (`documents.<code>`). */
  static missingErrors(missing: RequiredDocument[]): UserError[] {
    return missing.map((d) =>
      userError(
        UserErrorCode.REQUIRED,
        `documents.${d.code}`,
        `required document missing: ${describe(d)}; upload it (createDocumentUpload) or waive it with a reason (waiveRequiredDocument)`,
      ),
    );
  }

  /** A URL the caller PUTs the file's bytes to, for one document of one open request. */
  async createUpload(
    actor: Actor,
    input: { requestId: string; documentCode: string },
  ): Promise<{ url: string; expiresAt: Date }> {
    const { request, document } = await this.documentOf(
      this.dataSource.manager,
      actor,
      input.requestId,
      input.documentCode,
    );
    const exp = Math.floor(Date.now() / 1000) + UPLOAD_URL_SECONDS;
    const grant: UploadGrant = { r: request.id, d: document.code, a: actor.id, exp };
    // In the query string: a path segment this long is refused by the router (414).
    return { url: `/uploads?grant=${this.sign(grant)}`, expiresAt: new Date(exp * 1000) };
  }

  /** The grant of an upload URL, if it is genuine, unexpired and the caller's own. */
  grantOf(token: string, actor: Actor): UploadGrant {
    const [body, mac] = token.split('.');
    const expected = this.mac(body ?? '');
    const given = Buffer.from(mac ?? '', 'base64url');
    if (!body || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ForbiddenError('This upload URL is not valid');
    }
    const grant = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as UploadGrant;
    if (grant.exp * 1000 < Date.now()) throw new ForbiddenError('This upload URL has expired');
    if (grant.a !== actor.id) throw new ForbiddenError('This upload URL was made for someone else');
    return grant;
  }

  /** The request a grant names (where its file is kept: municipality and ward). */
  async requestOf(grant: UploadGrant): Promise<ServiceRequest> {
    return this.dataSource.getRepository(ServiceRequest).findOneByOrFail({ id: grant.r });
  }

  /** Attaches a stored file as the document the grant names, on the timeline and audited. */
  async attach(actor: Actor, grant: UploadGrant, file: StoredFile): Promise<RequestAttachment> {
    return this.dataSource.transaction(async (manager) => {
      const { request, document } = await this.documentOf(manager, actor, grant.r, grant.d, true);
      const saved = await manager.save(
        manager.create(RequestAttachment, {
          requestId: request.id,
          wardId: request.wardId,
          kind: kindOf(file.mimeType),
          source: AttachmentSource.UPLOAD,
          mediaRef: file.sha256,
          mimeType: file.mimeType,
          sizeBytes: file.sizeBytes,
          sha256: file.sha256,
          caption: document.labelBn,
          fileId: file.id,
          documentCode: document.code,
        }),
      );
      await this.journal.record(manager, auditActorOf(actor), request, {
        entry: {
          kind: TimelineEntryKind.ATTACHMENT_ADDED,
          details: { attachmentId: saved.id, kind: saved.kind, documentCode: document.code },
        },
        event: 'request.attachment_added',
        payload: { attachmentId: saved.id, documentCode: document.code },
        changes: { attachmentId: saved.id, sha256: saved.sha256, documentCode: document.code },
      });
      return saved;
    });
  }

  /** A coordinator lets the request go without one document; the reason is on the timeline. */
  async waive(
    actor: Actor,
    input: { requestId: string; documentCode: string; reason: string },
  ): Promise<RequestDocumentWaiver> {
    const reason = normalizeText(String(input.reason ?? ''));
    if (!reason) {
      throw new Refusal([userError(UserErrorCode.REQUIRED, 'reason', 'say why it is waived')]);
    }
    if (reason.length > 1000) {
      throw new Refusal([
        userError(UserErrorCode.TOO_LONG, 'reason', 'must be at most 1000 characters'),
      ]);
    }
    if (actor.type !== 'STAFF') throw new ForbiddenError('Documents are waived by staff');
    return this.dataSource.transaction(async (manager) => {
      const { request, document } = await this.documentOf(
        manager,
        actor,
        input.requestId,
        input.documentCode,
        true,
      );
      const already = await manager.findOneBy(RequestDocumentWaiver, {
        requestId: request.id,
        documentCode: document.code,
      });
      if (already) {
        throw new Refusal([
          userError(UserErrorCode.DUPLICATE, 'documentCode', 'this document is already waived'),
        ]);
      }
      const waiver = await manager.save(
        manager.create(RequestDocumentWaiver, {
          requestId: request.id,
          wardId: request.wardId,
          documentCode: document.code,
          reason,
          waivedById: actor.id,
          waivedByName: actor.displayName,
        }),
      );
      await this.journal.record(manager, auditActorOf(actor), request, {
        entry: {
          kind: TimelineEntryKind.DOCUMENT_WAIVED,
          note: reason,
          details: { documentCode: document.code },
        },
        event: 'request.document_waived',
        payload: { documentCode: document.code },
        changes: { documentCode: document.code, reason },
      });
      return waiver;
    });
  }

  /** The request (writable by the caller, still open) and the named document of its service. */
  private async documentOf(
    manager: EntityManager,
    actor: Actor,
    requestId: string,
    documentCode: string,
    lock = false,
  ): Promise<{ request: ServiceRequest; document: RequiredDocument }> {
    const id = assertUuid(requestId, 'requestId');
    const request = lock
      ? await lockRow(manager, ServiceRequest, id, 'Request')
      : await manager.findOneBy(ServiceRequest, { id });
    if (!request)
      throw new Refusal([userError(UserErrorCode.NOT_FOUND, 'requestId', 'no such request')]);
    assertAccess(actor, request, Permission.REQUESTS_WRITE, 'Request');
    if (COMPLETED_STATUSES.includes(request.status)) {
      throw new Refusal([
        userError(
          UserErrorCode.INVALID_TRANSITION,
          'requestId',
          `the request is ${request.status}`,
        ),
      ]);
    }
    const version = await manager.findOneByOrFail(ServiceTypeVersion, {
      serviceTypeId: request.serviceTypeId,
      definitionVersion: request.definitionVersion,
    });
    const documents = version.definition.documents ?? [];
    const document = documents.find((d) => d.code === documentCode);
    if (!document) {
      throw new Refusal([
        userError(
          UserErrorCode.INVALID,
          'documentCode',
          documents.length
            ? `the service asks for ${documents.map((d) => d.code).join(', ')}`
            : 'the service asks for no documents',
        ),
      ]);
    }
    return { request, document };
  }

  private sign(grant: UploadGrant): string {
    const body = Buffer.from(JSON.stringify(grant)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', `uploads:${this.config.auth.jwtSecret}`).update(body).digest();
  }
}
