import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { assertUuid } from '../common/graphql/uuid';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { sniffMimeType } from './file-type-sniffer';
import { FILE_STORE, FileStore } from './file-store';
import { StoredFile } from './stored-file.entity';

/** Why a file was not kept: too big, or not a kind of file Duare accepts. */
export class FileRefused extends Error {
  constructor(
    readonly reason: 'TOO_LARGE' | 'UNSUPPORTED_TYPE' | 'EMPTY',
    message: string,
  ) {
    super(message);
  }
}

export interface NewFile {
  municipalityId: string;
  wardId: string;
  bytes: Buffer;
  originalName?: string | null;
  source: 'WHATSAPP' | 'UPLOAD';
}

/**
 * Keeps residents' and staff's files: checks size and the type read from the bytes, stores
 * the bytes under their SHA-256 and records whose they are. Staff fetch them through
 * `GET /files/:id`, within their wards only.
 */
@Injectable()
export class FilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORE) private readonly store: FileStore,
  ) {}

  get maxBytes(): number {
    return this.config.files.maxBytes;
  }

  /** Stores the bytes (first) and records the file (in `manager`'s transaction when given). */
  async keep(file: NewFile, manager?: EntityManager): Promise<StoredFile> {
    if (file.bytes.length === 0) throw new FileRefused('EMPTY', 'the file is empty');
    if (file.bytes.length > this.maxBytes)
      throw new FileRefused(
        'TOO_LARGE',
        `the file has ${file.bytes.length} bytes; at most ${this.maxBytes} are accepted`,
      );
    const mimeType = sniffMimeType(file.bytes);
    if (!mimeType)
      throw new FileRefused(
        'UNSUPPORTED_TYPE',
        'only photos (JPEG, PNG, WebP, GIF), PDFs, voice notes and short videos are accepted',
      );
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    await this.store.put(sha256, file.bytes);
    const repository = (manager ?? this.dataSource.manager).getRepository(StoredFile);
    return repository.save(
      repository.create({
        municipalityId: file.municipalityId,
        wardId: file.wardId,
        sha256,
        mimeType,
        sizeBytes: file.bytes.length,
        originalName: file.originalName?.slice(0, 255) ?? null,
        source: file.source,
      }),
    );
  }

  /** A file the actor may read (residents' files: `RESIDENTS_READ` in its ward), opened. */
  async open(actor: Actor, id: string): Promise<{ file: StoredFile; content: Readable }> {
    const file = await this.dataSource
      .getRepository(StoredFile)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!file) throw new NotFoundError('File');
    assertAccess(actor, file, Permission.RESIDENTS_READ, 'File');
    return { file, content: await this.store.open(file.sha256) };
  }

  /** Where staff fetch a file (relative to the API's own address). */
  static pathOf(fileId: string): string {
    return `/files/${fileId}`;
  }
}
