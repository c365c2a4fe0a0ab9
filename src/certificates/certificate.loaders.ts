import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { LoaderFactory } from '../common/graphql/graphql-context';
import { Certificate } from './entities/certificate.entity';
import { CertificateType } from './entities/certificate-type.entity';

type TypeKey = { municipalityId: string; code: string };

/** Batch loaders of certificates for nested fields; each `create()` serves one HTTP request. */
@Injectable()
export class CertificateLoaders {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The active certificate type of a municipality with this code (what issuance would use). */
  readonly activeTypeByCode: LoaderFactory<TypeKey, CertificateType | null> = {
    create: () =>
      new DataLoader(
        async (keys) => {
          const rows = await this.dataSource
            .getRepository(CertificateType)
            .createQueryBuilder('t')
            .where(
              '(t.municipality_id, t.code) IN (SELECT * FROM unnest(CAST(:ms AS uuid[]), CAST(:codes AS text[])))',
              { ms: keys.map((k) => k.municipalityId), codes: keys.map((k) => k.code) },
            )
            .andWhere('t.active')
            .getMany();
          const byKey = new Map(rows.map((t) => [`${t.municipalityId}:${t.code}`, t]));
          return keys.map((k) => byKey.get(`${k.municipalityId}:${k.code}`) ?? null);
        },
        { cacheKeyFn: (k) => `${k.municipalityId}:${k.code}` },
      ),
  };

  /** Every certificate issued for a request, oldest first (a correction adds one). */
  readonly byRequest: LoaderFactory<string, Certificate[]> = {
    create: () =>
      new DataLoader(async (requestIds) => {
        const rows = await this.dataSource
          .getRepository(Certificate)
          .createQueryBuilder('c')
          .where('c.request_id = ANY(:ids)', { ids: [...requestIds] })
          .orderBy('c.issued_at', 'ASC')
          .addOrderBy('c.id', 'ASC')
          .getMany();
        const groups = new Map<string, Certificate[]>(requestIds.map((id) => [id, []]));
        for (const row of rows) groups.get(row.requestId)?.push(row);
        return requestIds.map((id) => groups.get(id) ?? []);
      }),
  };
}
