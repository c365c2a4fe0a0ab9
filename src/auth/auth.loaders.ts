import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { groupByKeys, LoaderFactory } from '../common/graphql/graphql-context';
import { ApiClientWard } from './entities/api-client-ward.entity';
import { RoleGrantRow } from './entities/role-grant.entity';
import { StaffAccount } from './entities/staff-account.entity';

@Injectable()
export class AuthLoaders {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  readonly grantsByAccount: LoaderFactory<string, RoleGrantRow[]> = {
    create: () =>
      new DataLoader(async (accountIds) => {
        const rows = await this.dataSource.getRepository(RoleGrantRow).find({
          where: { accountId: In([...accountIds]) },
          order: { role: 'ASC', wardId: 'ASC' },
        });
        return groupByKeys(accountIds, rows, (row) => row.accountId);
      }),
  };

  readonly accountById: LoaderFactory<string, StaffAccount | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(StaffAccount).findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  };

  readonly wardIdsByApiClient: LoaderFactory<string, string[]> = {
    create: () =>
      new DataLoader(async (clientIds) => {
        const rows = await this.dataSource
          .getRepository(ApiClientWard)
          .findBy({ apiClientId: In([...clientIds]) });
        return groupByKeys(clientIds, rows, (row) => row.apiClientId).map((group) =>
          group.map((row) => row.wardId),
        );
      }),
  };
}
