import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { HelplineStats } from './dto/helpline-stats.type';
import { StatsPeriodArgs } from './dto/stats-period.args';
import { HelplineStatsService } from './helpline-stats.service';

@Resolver(() => HelplineStats)
export class HelplineStatsResolver {
  constructor(private readonly stats: HelplineStatsService) {}

  @Query(() => HelplineStats, {
    description:
      'First-response and resolution times of a ward’s helpline conversations handed to people, by staff member and day, for a period of Indian calendar days. NOT_FOUND outside the caller’s wards.',
  })
  @Allow(Permission.RESIDENTS_READ)
  wardHelplineStats(
    @CurrentActor() actor: Actor,
    @Args('wardId', { type: () => ID, description: 'The ward.' }) wardId: string,
    @Args() { from, to }: StatsPeriodArgs,
  ): Promise<HelplineStats> {
    return this.stats.wardHelplineStats(actor, wardId, from, to);
  }
}
