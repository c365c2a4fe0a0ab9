import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { In, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import {
  groupByKeys,
  LoaderFactory,
  RequestLoaders as LoaderCache,
} from '../common/graphql/graphql-context';
import { findManyPlain } from '../database/plain-find';
import { CouncillorStatusChange } from './entities/councillor-status-change.entity';
import { Municipality } from './entities/municipality.entity';
import { Ward } from './entities/ward.entity';
import { EntityRows } from '../common/sql/entity-rows';

/** Batch loaders for the ward graph; each `create()` serves one request. */
@Injectable()
export class WardLoaders {
  private readonly wardRows: EntityRows<Ward>;

  constructor(
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
    @InjectRepository(Ward) private readonly wards: Repository<Ward>,
    @InjectRepository(CouncillorStatusChange)
    private readonly statusChanges: Repository<CouncillorStatusChange>,
  ) {
    this.wardRows = new EntityRows(wards.manager.connection, Ward);
  }

  readonly municipalityById: LoaderFactory<string, Municipality | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await findManyPlain(this.municipalities.manager, Municipality, 'id', ids);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  };

  readonly wardById: LoaderFactory<string, Ward | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await findManyPlain(this.wards.manager, Ward, 'id', ids);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  };

  /**
   * Joins each row's ward into another module's list statement, its columns named
   * `<alias>_<column>`, so a page of things in wards needs no ward batch of its own; read
   * each row's ward with `wardOfRow`, then hand them to `primeWards`.
   */
  joinWard<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    wardIdColumn: string,
    alias: string,
  ): void {
    this.wardRows.leftJoin(query, alias, `${alias}.id = ${wardIdColumn}`);
  }

  /** The ward joined by `joinWard` into a row (null when the row had none). */
  wardOfRow(row: Record<string, unknown>, alias: string): Ward | null {
    return this.wardRows.joined(row, alias);
  }

  /** Puts wards already read into this request's `wardById` loader. */
  primeWards(loaders: LoaderCache, wards: Iterable<Ward | null | undefined>): void {
    const loader = loaders.get(this.wardById);
    for (const ward of wards) if (ward) loader.prime(ward.id, ward);
  }

  /** All wards of each municipality, in ward-number order. */
  readonly wardsByMunicipality: LoaderFactory<string, Ward[]> = {
    create: () =>
      new DataLoader(async (municipalityIds) => {
        const rows = await this.wards.find({
          where: { municipalityId: In([...municipalityIds]) },
          order: { number: 'ASC', id: 'ASC' },
        });
        return groupByKeys(municipalityIds, rows, (ward) => ward.municipalityId);
      }),
  };

  /** Councillor status history of each ward, oldest first. */
  readonly statusHistoryByWard: LoaderFactory<string, CouncillorStatusChange[]> = {
    create: () =>
      new DataLoader(async (wardIds) => {
        const rows = await this.statusChanges.find({
          where: { wardId: In([...wardIds]) },
          order: { recordedAt: 'ASC', id: 'ASC' },
        });
        return groupByKeys(wardIds, rows, (change) => change.wardId);
      }),
  };
}
