import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { groupByKeys, LoaderFactory } from '../common/graphql/graphql-context';
import { ApiClientWard } from './entities/api-client-ward.entity';
import { RoleGrantRow } from './entities/role-grant.entity';

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
