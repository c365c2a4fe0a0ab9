// Over 400 lines on purpose: one streaming CSV import (size and time limits, per-row checks,
// duplicates, batched inserts) whose failure paths are tested together.
import { toAsciiDigits } from '../common/text/digits';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { pipeline as pipelinePromise } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse';
import { DataSource, EntityManager } from 'typeorm';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError } from '../common/access/access-control';
import { Actor, Reach, reachOf, reaches } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { sha256Hex } from '../common/crypto/sha256';
import { nameKey } from '../common/text/name-key';
import { validateInput } from '../common/validation/validate-input';
import { WardsService } from '../wards/wards.service';
import { ConcurrencyGate } from '../common/rate-limit/concurrency-gate';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { createResidentSchema } from './dto/resident-input.schemas';
import { GuardianRelation, IntakeChannel, ResidentLanguage } from './entities/resident-enums';
import { Resident } from './entities/resident.entity';
import { addressColumns, searchKey } from './resident-columns';

export const REQUIRED_COLUMNS = ['ward_number', 'full_name'] as const;
export const OPTIONAL_COLUMNS = [
  'alt_name',
  'guardian_name',
  'guardian_relation',
  'guardian_name_en',
  'address_en',
  'phone',
  'whatsapp_id',
  'house_number',
  'locality',
  'street',
  'landmark',
  'post_office',
  'pin_code',
  'preferred_language',
  'date_of_birth',
] as const;
const KNOWN_COLUMNS = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

const BATCH_SIZE = 500;
const MAX_LISTED_REJECTIONS = 1000;
const MAX_ROWS = 1_000_000;

const RELATIONS: Record<string, GuardianRelation> = {
  father: GuardianRelation.FATHER,
  পিতা: GuardianRelation.FATHER,
  বাবা: GuardianRelation.FATHER,
  husband: GuardianRelation.HUSBAND,
  স্বামী: GuardianRelation.HUSBAND,
  mother: GuardianRelation.MOTHER,
  মাতা: GuardianRelation.MOTHER,
  মা: GuardianRelation.MOTHER,
};

/** A problem with the file as a whole: nothing of it is stored. */
export class BadCsvError extends Error {}

/** The upload is larger than `IMPORT_MAX_BYTES` (answered 413). */
export class CsvTooLargeError extends Error {}

/** The upload did not arrive within `HTTP_REQUEST_TIMEOUT_MS` (answered 408). */
export class UploadTimeoutError extends Error {}

/** Too many imports at once on this server (answered 429). */
export class ImportBusyError extends Error {}

/**
 * Writes the upload to a temporary file, refusing it past `maxBytes`: a slow or huge upload
 * costs disk, never a database connection or memory. The file is removed by `cleanup`.
 */
async function spool(
  body: Readable,
  maxBytes: number,
  timeoutMs: number,
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'duare-import-'));
  const path = join(dir, 'upload.csv');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(new CsvTooLargeError(`The file is larger than ${maxBytes} bytes; split it`));
      } else done(null, chunk);
    },
  });
  const timer = setTimeout(
    () => cap.destroy(new UploadTimeoutError(`The upload did not arrive within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    await pipelinePromise(body, cap, createWriteStream(path));
  } catch (error) {
    await cleanup();
    body.resume();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { path, cleanup };
}

export interface RejectedRow {
  row: number;
  errors: UserError[];
}

export interface ImportResult {
  importId: string;
  rows: number;
  created: number;
  matched: number;
  rejectedCount: number;
  /** The first rejections (at most 1,000), with their spreadsheet row (header = row 1). */
  rejected: RejectedRow[];
}

type Row = Record<string, string>;
type RecordInfo = { records: number; empty_lines: number };

function utf8Text(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new BadCsvError('The file is not valid UTF-8 text; save it as UTF-8 CSV');
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decode(chunk));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        done(null, decode());
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

function checkHeader(header: string[]): string[] {
  const columns = header.map((name) => name.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length) {
    // One column that holds several names: the file uses another separator.
    const separator =
      columns.length === 1 ? [';', '\t', '|'].find((c) => columns[0].includes(c)) : undefined;
    const hint = separator
      ? `; the header looks separated by ${separator === '\t' ? 'tabs' : `"${separator}"`} — save the file as comma-separated CSV (UTF-8)`
      : '';
    throw new BadCsvError(`Missing column(s): ${missing.join(', ')}${hint}`);
  }
  const unknown = columns.filter((name) => !KNOWN_COLUMNS.has(name));
  if (unknown.length) throw new BadCsvError(`Unknown column(s): ${unknown.join(', ')}`);
  if (new Set(columns).size !== columns.length) throw new BadCsvError('A column is repeated');
  return columns;
}

const blankToNull = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? null : value;

/**
 * Bulk registration from a municipal list: streamed, validated row by row, in one
 * transaction (a broken file stores nothing), idempotent (a row whose phone — or, without
 * a phone, whose name, guardian, holding and ward — is known is "matched", not added).
 */
@Injectable()
export class ResidentImportService {
  private readonly gate: ConcurrencyGate;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wards: WardsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.gate = new ConcurrencyGate(config.bulk.importConcurrency, config.bulk.importConcurrency);
  }

  /**
   * The upload is spooled to disk first (size-capped), so the transaction that writes the
   * residents never waits on the network; at most `IMPORT_CONCURRENCY` imports write at once.
   */
  async importCsv(actor: Actor, body: Readable): Promise<ImportResult> {
    const reach = reachOf(actor, Permission.RESIDENTS_WRITE);
    if (!reach) throw new ForbiddenError();
    const { path, cleanup } = await spool(
      body,
      this.config.bulk.importMaxBytes,
      this.config.bulk.requestTimeoutMs,
    );
    try {
      const release = this.gate.enter('all');
      if (!release) throw new ImportBusyError('Too many imports at once; retry in a minute');
      try {
        return await this.importInMunicipality(
          actor.municipalityId,
          reach,
          auditActorOf(actor),
          createReadStream(path),
        );
      } finally {
        release();
      }
    } finally {
      await cleanup();
    }
  }

  /** Trusted path (demo data): the municipality, wards and audit actor are given. */
  async importInMunicipality(
    municipalityId: string,
    reach: Reach,
    by: AuditActorRef,
    body: Readable,
  ): Promise<ImportResult> {
    const wardByNumber = new Map(
      (await this.wards.listInMunicipality(municipalityId)).map((w) => [String(w.number), w.id]),
    );
    const result: ImportResult = {
      importId: randomUUID(),
      rows: 0,
      created: 0,
      matched: 0,
      rejectedCount: 0,
      rejected: [],
    };
    const reject = (row: number, errors: UserError[]) => {
      result.rejectedCount += 1;
      if (result.rejected.length < MAX_LISTED_REJECTIONS) result.rejected.push({ row, errors });
    };
    const seenInFile = new Set<string>();
    /** WhatsApp id → the row that has it: one resident per WhatsApp id. */
    const whatsappInFile = new Map<string, number>();
    /** Spreadsheet row of each batch entry (for rejections found while writing). */
    const lines = new Map<number, number>();
    const createdByWard = new Map<string, number>();

    await this.dataSource.transaction(async (manager) => {
      let headerSeen = false;
      const records = parse({
        columns: (header: string[]) => {
          headerSeen = true;
          return checkHeader(header);
        },
        bom: true,
        trim: true,
        skip_empty_lines: true,
        info: true,
        // A record (one row, however many lines it spans) longer than this is refused.
        max_record_size: this.config.bulk.importMaxFieldChars,
      });
      // pipeline, not pipe: an error anywhere (bad UTF-8, a dropped connection) destroys
      // every stream, so the loop below throws instead of waiting forever.
      pipeline(body, utf8Text(), records, () => undefined);
      let batch: Array<Partial<Resident>> = [];
      for await (const { record, info } of records as AsyncIterable<{
        record: Row;
        info: RecordInfo;
      }>) {
        result.rows += 1;
        if (result.rows > MAX_ROWS)
          throw new BadCsvError(`More than ${MAX_ROWS} rows; split the file`);
        // The row as a spreadsheet shows it (header = 1): blank lines count, a cell that
        // spans lines does not add rows.
        const line = info.records + info.empty_lines + 1;
        const wardId = wardByNumber.get(toAsciiDigits(record.ward_number ?? '').trim());
        if (!wardId) {
          reject(line, [
            userError(UserErrorCode.NOT_FOUND, 'ward_number', 'no such ward in your municipality'),
          ]);
          continue;
        }
        if (!reaches(reach, wardId)) {
          reject(line, [
            userError(
              UserErrorCode.INVALID,
              'ward_number',
              'you may not register residents in this ward',
            ),
          ]);
          continue;
        }
        const columns = this.rowColumns(record, wardId);
        if ('errors' in columns) {
          reject(line, columns.errors);
          continue;
        }
        const identity = columns.values.phone ?? columns.values.dedupeKey ?? '';
        if (seenInFile.has(identity)) {
          result.matched += 1;
          continue;
        }
        const whatsappId = columns.values.whatsappId;
        if (whatsappId && whatsappInFile.has(whatsappId)) {
          reject(line, [
            userError(
              UserErrorCode.DUPLICATE,
              'whatsapp_id',
              `another row (${whatsappInFile.get(whatsappId)}) already has this WhatsApp id`,
            ),
          ]);
          continue;
        }
        if (whatsappId) whatsappInFile.set(whatsappId, line);
        seenInFile.add(identity);
        lines.set(batch.length, line);
        batch.push({
          ...columns.values,
          municipalityId,
          importId: result.importId,
        });
        if (batch.length >= BATCH_SIZE) {
          await this.flush(manager, municipalityId, batch, lines, result, createdByWard, reject);
          batch = [];
          lines.clear();
        }
      }
      if (!headerSeen)
        throw new BadCsvError(
          `The file is empty; it needs a header line with ${REQUIRED_COLUMNS.join(', ')}`,
        );
      await this.flush(manager, municipalityId, batch, lines, result, createdByWard, reject);
      await this.audit.record(manager, by, {
        action: 'residents.imported',
        entityType: 'ResidentImport',
        entityId: result.importId,
        municipalityId,
        changes: {
          rows: result.rows,
          created: result.created,
          matched: result.matched,
          rejected: result.rejectedCount,
        },
      });
      // One entry per ward too, so that each ward's coordinators see what came into it.
      for (const [wardId, created] of createdByWard) {
        await this.audit.record(manager, by, {
          action: 'residents.imported',
          entityType: 'ResidentImport',
          entityId: result.importId,
          municipalityId,
          wardId,
          changes: { created },
        });
      }
    });
    return result;
  }

  private rowColumns(
    record: Row,
    wardId: string,
  ): { values: Partial<Resident> } | { errors: UserError[] } {
    const relation = blankToNull(record.guardian_relation);
    const input = {
      wardId,
      fullName: record.full_name ?? '',
      altName: blankToNull(record.alt_name),
      guardianName: blankToNull(record.guardian_name),
      guardianNameEn: blankToNull(record.guardian_name_en),
      addressEn: blankToNull(record.address_en),
      guardianRelation:
        relation === null ? null : (RELATIONS[relation.toLowerCase()] ?? relation.toUpperCase()),
      phone: blankToNull(record.phone),
      whatsappId: blankToNull(record.whatsapp_id),
      address: {
        houseNumber: blankToNull(record.house_number),
        locality: blankToNull(record.locality),
        street: blankToNull(record.street),
        landmark: blankToNull(record.landmark),
        postOffice: blankToNull(record.post_office),
        pinCode: blankToNull(record.pin_code),
      },
      preferredLanguage: blankToNull(record.preferred_language)?.toUpperCase() ?? null,
      dateOfBirth: blankToNull(record.date_of_birth),
    };
    const checked = validateInput(createResidentSchema, input);
    if (!checked.ok) {
      // Report the CSV column, not the GraphQL input path.
      return {
        errors: checked.errors.map((e) => ({
          ...e,
          field: (e.field ?? '')
            .replace(/^address\./, '')
            .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        })),
      };
    }
    const v = checked.value;
    const address = addressColumns(v.address);
    return {
      values: {
        wardId,
        fullName: v.fullName,
        altName: v.altName ?? null,
        guardianName: v.guardianName ?? null,
        guardianNameEn: v.guardianNameEn ?? null,
        addressEn: v.addressEn ?? null,
        guardianRelation: v.guardianRelation ?? null,
        phone: v.phone ?? null,
        whatsappId: v.whatsappId ?? null,
        ...address,
        preferredLanguage: v.preferredLanguage ?? ResidentLanguage.BN,
        dateOfBirth: v.dateOfBirth ?? null,
        createdChannel: IntakeChannel.IMPORT,
        nameKey: searchKey(v.fullName, v.altName),
        dedupeKey: v.phone
          ? null
          : sha256Hex(
              [
                wardId,
                nameKey(v.fullName),
                nameKey(v.guardianName),
                address.houseNumber ?? '',
              ].join('|'),
            ),
      },
    };
  }

  private async flush(
    manager: EntityManager,
    municipalityId: string,
    all: Array<Partial<Resident>>,
    lines: Map<number, number>,
    result: ImportResult,
    createdByWard: Map<string, number>,
    reject: (row: number, errors: UserError[]) => void,
  ): Promise<void> {
    // A WhatsApp id another resident already has (other than the same person, by phone)
    // would route that resident's messages to two records: refused.
    const ids = all.map((r) => r.whatsappId).filter((id): id is string => Boolean(id));
    const taken = new Map<string, string | null>();
    if (ids.length) {
      const rows = (await manager.query(
        `SELECT whatsapp_id, phone FROM residents WHERE municipality_id = $1 AND whatsapp_id = ANY($2)`,
        [municipalityId, ids],
      )) as Array<{ whatsapp_id: string; phone: string | null }>;
      for (const row of rows) taken.set(row.whatsapp_id, row.phone);
    }
    const batch = all.filter((r, index) => {
      if (!r.whatsappId || !taken.has(r.whatsappId)) return true;
      if (r.phone && taken.get(r.whatsappId) === r.phone) return true;
      reject(lines.get(index) ?? 0, [
        userError(
          UserErrorCode.DUPLICATE,
          'whatsapp_id',
          'another resident already has this WhatsApp id',
        ),
      ]);
      return false;
    });
    if (batch.length === 0) return;
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Resident)
      .values(batch as never)
      .orIgnore()
      .returning('id, ward_id')
      .execute();
    const rows = inserted.raw as Array<{ ward_id: string }>;
    for (const row of rows)
      createdByWard.set(row.ward_id, (createdByWard.get(row.ward_id) ?? 0) + 1);
    const created = rows.length;
    result.created += created;
    result.matched += batch.length - created;
  }
}
