import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { groupByKeys, LoaderFactory } from '../common/graphql/graphql-context';
import { ResidentWardMove } from './entities/resident-ward-move.entity';
import { Resident } from './entities/resident.entity';

@Injectable()
export class ResidentLoaders {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  readonly residentById: LoaderFactory<string, Resident | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(Resident).findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((row) => [row.id, row]));
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
