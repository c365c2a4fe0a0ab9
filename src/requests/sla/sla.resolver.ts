import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../../common/access/access-policy.decorator';
import { Actor } from '../../common/access/actor';
import { CurrentActor } from '../../common/access/current-actor.decorator';
import { Permission } from '../../common/access/permission';
import { MunicipalityHoliday } from '../entities/municipality-holiday.entity';
import { RequestSlaService } from './request-sla.service';
import { SetMunicipalityHolidaysInput } from '../dto/holiday.inputs';

@Resolver(() => MunicipalityHoliday)
export class SlaResolver {
  constructor(private readonly sla: RequestSlaService) {}

  @Query(() => [MunicipalityHoliday], {
    description: 'Holidays of the caller’s municipality; working-day SLAs skip them and Sundays.',
  })
  @Allow(Permission.WARDS_READ)
  municipalityHolidays(@CurrentActor() actor: Actor) {
    return this.sla.listHolidays(actor);
  }

  @Mutation(() => [MunicipalityHoliday], {
    description: 'Replaces the municipality’s holidays (administrators); new due times use them.',
  })
  @Allow(Permission.WARDS_MANAGE)
  setMunicipalityHolidays(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetMunicipalityHolidaysInput,
  ) {
    return this.sla.setHolidays(actor, input.holidays);
  }
}
