import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { groupByKeys, LoaderFactory } from '../common/graphql/graphql-context';
import { Delivery, UNDER_WAY_STATUSES } from './delivery.entity';

/** Batch loaders of deliveries for nested fields; each `create()` serves one HTTP request. */
@Injectable()
export class DeliveryLoaders {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every delivery of a request, oldest first (a request has a few at most). */
  readonly byRequest: LoaderFactory<string, Delivery[]> = {
    create: () =>
      new DataLoader(async (requestIds) => {
        const rows = await this.dataSource.getRepository(Delivery).find({
          where: { requestId: In([...requestIds]) },
          order: { createdAt: 'ASC', id: 'ASC' },
        });
        return groupByKeys(requestIds, rows, (row) => row.requestId);
      }),
  };

  readonly byId: LoaderFactory<string, Delivery | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(Delivery).findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  };

  /** How many deliveries each field agent has under way. */
  readonly underWayCountByAgent: LoaderFactory<string, number> = {
    create: () =>
      new DataLoader(async (agentIds) => {
        const rows: Array<{ agent_id: string; n: number }> = await this.dataSource.query(
          `SELECT agent_id, count(*)::int AS n FROM deliveries
           WHERE agent_id = ANY($1) AND status = ANY($2) GROUP BY agent_id`,
          [[...agentIds], UNDER_WAY_STATUSES],
        );
        const byAgent = new Map(rows.map((row) => [row.agent_id, row.n]));
        return agentIds.map((id) => byAgent.get(id) ?? 0);
      }),
  };
}
