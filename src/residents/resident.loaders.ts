import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import {
  groupByKeys,
  LoaderFactory,
  RequestLoaders as LoaderCache,
} from '../common/graphql/graphql-context';
import { ResidentWardMove } from './entities/resident-ward-move.entity';
import { Resident } from './entities/resident.entity';
import { EntityRows } from '../common/sql/entity-rows';

@Injectable()
export class ResidentLoaders {
  private readonly residentRows: EntityRows<Resident>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.residentRows = new EntityRows(dataSource, Resident);
  }

  readonly residentById: LoaderFactory<string, Resident | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        // Plain SQL and a flat mapping (see EntityRows): a queue page reads 50 residents.
        const rows = (await this.dataSource.query(
          `SELECT ${this.residentRows.select('p')} FROM ${this.residentRows.table} p WHERE p.id = ANY($1)`,
          [ids],
        )) as Array<Record<string, unknown>>;
        const residents = rows.map((row) => this.residentRows.hydrate(row));
        const byId = new Map(residents.map((resident) => [resident.id, resident]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  };

  /**
   * Joins each row's resident into another module's list statement (a queue page's cards
   * show their resident), so the page needs no resident batch; read each row's resident
   * with `residentOfRow`, then hand them to `primeResidents`.
   */
  joinResident<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    residentIdColumn: string,
    alias: string,
  ): void {
    this.residentRows.leftJoin(query, alias, `${alias}.id = ${residentIdColumn}`);
  }

  /** The resident joined by `joinResident` into a row (null when the row had none). */
  residentOfRow(row: Record<string, unknown>, alias: string): Resident | null {
    return this.residentRows.joined(row, alias);
  }

  /** Puts residents already read into this request's `residentById` loader. */
  primeResidents(loaders: LoaderCache, residents: Iterable<Resident | null>): void {
    const loader = loaders.get(this.residentById);
    for (const resident of residents) if (resident) loader.prime(resident.id, resident);
  }

  readonly movesByResident: LoaderFactory<string, ResidentWardMove[]> = {
    create: () =>
      new DataLoader(async (residentIds) => {
        const rows = await this.dataSource.getRepository(ResidentWardMove).find({
          where: { residentId: In([...residentIds]) },
          order: { movedAt: 'ASC', id: 'ASC' },
        });
        return groupByKeys(residentIds, rows, (row) => row.residentId);
      }),
  };
}
