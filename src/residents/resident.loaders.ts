import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { groupByKeys, LoaderFactory } from '../common/graphql/graphql-context';
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
