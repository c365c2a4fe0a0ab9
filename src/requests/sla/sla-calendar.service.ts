import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MunicipalityHoliday } from '../entities/municipality-holiday.entity';
import { ServiceDefinition } from '../entities/service-definition';
import { slaDueAt } from '../workflow/sla-clock';

/** Due times with the municipality's holidays, read in the caller's transaction. */
@Injectable()
export class SlaCalendarService {
  async dueAt(
    manager: EntityManager,
    municipalityId: string,
    start: Date,
    promise: Pick<ServiceDefinition, 'slaHours' | 'slaWorkingDays'>,
  ): Promise<Date> {
    if (promise.slaHours != null) return slaDueAt(start, promise);
    const rows = await manager
      .createQueryBuilder(MunicipalityHoliday, 'h')
      .where('h.municipality_id = :municipalityId AND h.date >= CAST(:from AS date) - 1', {
        municipalityId,
        from: start.toISOString().slice(0, 10),
      })
      .getMany();
    return slaDueAt(start, promise, new Set(rows.map((row) => row.date)));
  }
}
