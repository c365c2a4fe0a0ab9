import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { z } from 'zod';
import { violatedUniqueConstraint } from '../common/errors/database-errors';
import { NotFoundError } from '../common/errors/app.error';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { ConnectionShape } from '../common/pagination/connection.type';
import { decodeCursor } from '../common/pagination/cursor';
import { pageSize, toConnection } from '../common/pagination/page-window';
import { assertUuid } from '../common/graphql/uuid';
import { validateInput } from '../common/validation/validate-input';
import { CreateMunicipalityInput } from './dto/create-municipality.input';
import { createMunicipalitySchema } from './dto/ward-input.schemas';
import { MunicipalityPayload } from './dto/ward.payloads';
import { Municipality } from './entities/municipality.entity';

const municipalityCursor = z.tuple([z.string()]);

@Injectable()
export class MunicipalitiesService {
  constructor(
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
  ) {}

  async getById(id: string): Promise<Municipality> {
    const found = await this.municipalities.findOneBy({ id: assertUuid(id, 'id') });
    if (!found) throw new NotFoundError('Municipality');
    return found;
  }

  async getByCode(code: string): Promise<Municipality> {
    const found = await this.municipalities.findOneBy({ code: code.trim().toUpperCase() });
    if (!found) throw new NotFoundError('Municipality');
    return found;
  }

  findByIds(ids: readonly string[]): Promise<Municipality[]> {
    return this.municipalities.findBy({ id: In([...ids]) });
  }

  /** Municipalities in code order, keyset-paginated. */
  async list(first?: number | null, after?: string | null): Promise<ConnectionShape<Municipality>> {
    const size = pageSize(first);
    const query = this.municipalities.createQueryBuilder('m');
    const totalCount = await query.getCount();
    if (after) {
      const [code] = decodeCursor(after, municipalityCursor);
      query.where('m.code > :code', { code });
    }
    const rows = await query
      .orderBy('m.code')
      .limit(size + 1)
      .getMany();
    return toConnection(rows, size, (m) => [m.code], totalCount, Boolean(after));
  }

  async create(input: CreateMunicipalityInput): Promise<MunicipalityPayload> {
    const checked = validateInput(createMunicipalitySchema, input);
    if (!checked.ok) return { municipality: null, errors: checked.errors };
    try {
      const municipality = await this.municipalities.save(
        this.municipalities.create(checked.value),
      );
      return { municipality, errors: [] };
    } catch (error) {
      if (violatedUniqueConstraint(error) !== 'uq_municipalities_code') throw error;
      return {
        municipality: null,
        errors: [userError(UserErrorCode.DUPLICATE, 'code', 'another municipality has this code')],
      };
    }
  }
}
