import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { In, Repository } from 'typeorm';
import { groupByKeys, LoaderFactory } from '../common/graphql/graphql-context';
import { findManyPlain } from '../database/plain-find';
import { CouncillorStatusChange } from './entities/councillor-status-change.entity';
import { Municipality } from './entities/municipality.entity';
import { Ward } from './entities/ward.entity';

/** Batch loaders for the ward graph; each `create()` serves one request. */
@Injectable()
export class WardLoaders {
  constructor(
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
    @InjectRepository(Ward) private readonly wards: Repository<Ward>,
    @InjectRepository(CouncillorStatusChange)
    private readonly statusChanges: Repository<CouncillorStatusChange>,
  ) {}

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
