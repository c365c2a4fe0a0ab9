import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { groupByKeys, LoaderFactory } from '../../common/graphql/graphql-context';
import { ServiceType } from '../dto/service-type.dto';
import { RequestAttachment } from '../entities/request-attachment.entity';
import { RequestDocumentWaiver } from '../entities/request-document-waiver.entity';
import { ServiceRequest } from '../entities/service-request.entity';
import { ServiceTypeVersion } from '../entities/service-type-version.entity';
import { ServiceTypeRow } from '../entities/service-type.entity';
import { TimelineEntry } from '../entities/timeline-entry.entity';
import { toServiceType } from '../catalogue/service-catalogue.service';
import { EntityRows } from '../../common/sql/entity-rows';

type DefinitionKey = Pick<ServiceRequest, 'serviceTypeId' | 'definitionVersion'>;

/** Batch loaders for the nested fields of requests; each `create()` serves one request. */
@Injectable()
export class RequestLoaders {
  private readonly timelineRows: EntityRows<TimelineEntry>;
  private readonly attachmentRows: EntityRows<RequestAttachment>;
  private readonly versionRows: EntityRows<ServiceTypeVersion>;
  private readonly typeRows: EntityRows<ServiceTypeRow>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.timelineRows = new EntityRows(dataSource, TimelineEntry);
    this.attachmentRows = new EntityRows(dataSource, RequestAttachment);
    this.versionRows = new EntityRows(dataSource, ServiceTypeVersion);
    this.typeRows = new EntityRows(dataSource, ServiceTypeRow);
  }

  /** The service type as it was defined at the request's definition version. */
  readonly serviceTypeAsMade: LoaderFactory<DefinitionKey, ServiceType> = {
    create: () =>
      new DataLoader(
        async (keys) => {
          // One statement: each version with its type row joined (the page's types are few).
          const rows = (await this.dataSource.query(
            `SELECT ${this.versionRows.select('v', 'v_')}, ${this.typeRows.select('t', 't_')}
             FROM ${this.versionRows.table} v JOIN ${this.typeRows.table} t ON t.id = v.service_type_id
             WHERE (v.service_type_id, v.definition_version) IN
                   (SELECT * FROM unnest(CAST($1 AS uuid[]), CAST($2 AS int[])))`,
            [keys.map((k) => k.serviceTypeId), keys.map((k) => k.definitionVersion)],
          )) as Array<Record<string, unknown>>;
          const versions = rows.map((row) =>
            Object.assign(this.versionRows.hydrate(row, 'v_'), {
              type: this.typeRows.hydrate(row, 't_'),
            }),
          );
          const byKey = new Map(
            versions.map((v) => [`${v.serviceTypeId}:${v.definitionVersion}`, v]),
          );
          return keys.map((key) => {
            const version = byKey.get(`${key.serviceTypeId}:${key.definitionVersion}`);
            if (!version) return new Error('Service type not found');
            return {
              ...toServiceType(version.type),
              ...version.definition,
              definitionVersion: key.definitionVersion,
            };
          });
        },
        { cacheKeyFn: (key) => `${key.serviceTypeId}:${key.definitionVersion}` },
      ),
  };

  /** Requests by id (the links from certificates and deliveries back to their request). */
  readonly requestById: LoaderFactory<string, ServiceRequest | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource
          .getRepository(ServiceRequest)
          .findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  };

  /** Whole timelines, oldest first (they are short: tens of entries). */
  readonly timelineByRequest: LoaderFactory<string, TimelineEntry[]> = {
    create: () =>
      new DataLoader(async (requestIds) => {
        // Plain SQL and a flat mapping: a queue page reads tens of entries per request.
        const rows = await this.dataSource.query(
          `SELECT ${this.timelineRows.select('e')} FROM ${this.timelineRows.table} e
           WHERE e.request_id = ANY($1) ORDER BY e.occurred_at, e.id`,
          [requestIds],
        );
        const entries = rows.map((row: Record<string, unknown>) => this.timelineRows.hydrate(row));
        return groupByKeys(requestIds, entries, (entry) => entry.requestId);
      }),
  };

  readonly waiversByRequest: LoaderFactory<string, RequestDocumentWaiver[]> = {
    create: () =>
      new DataLoader(async (requestIds) => {
        const rows = await this.dataSource.getRepository(RequestDocumentWaiver).find({
          where: { requestId: In([...requestIds]) },
          order: { createdAt: 'ASC', id: 'ASC' },
        });
        return groupByKeys(requestIds, rows, (row) => row.requestId);
      }),
  };

  readonly attachmentsByRequest: LoaderFactory<string, RequestAttachment[]> = {
    create: () =>
      new DataLoader(async (requestIds) => {
        const rows = await this.dataSource.query(
          `SELECT ${this.attachmentRows.select('a')} FROM ${this.attachmentRows.table} a
           WHERE a.request_id = ANY($1) ORDER BY a.created_at, a.id`,
          [requestIds],
        );
        const attachments = rows.map((row: Record<string, unknown>) =>
          this.attachmentRows.hydrate(row),
        );
        return groupByKeys(requestIds, attachments, (attachment) => attachment.requestId);
      }),
  };
}
