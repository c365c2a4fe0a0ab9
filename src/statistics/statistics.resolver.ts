import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { RequestStats } from './dto/request-stats.type';
import { StatsPeriodArgs } from './dto/stats-period.args';
import { StatisticsService } from './statistics.service';
import { WardWorkload } from './dto/ward-workload.type';
import { WardWorkloadService } from './ward-workload.service';

@Resolver(() => RequestStats)
export class StatisticsResolver {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly workloads: WardWorkloadService,
  ) {}

  @Query(() => WardWorkload, {
    description:
      'The coordinator’s view of a ward now: open requests by step, overdue, and today’s deliveries per field agent. NOT_FOUND outside the caller’s wards.',
  })
  @Allow(Permission.REQUESTS_READ)
  wardWorkload(
    @CurrentActor() actor: Actor,
    @Args('wardId', { type: () => ID, description: 'The ward.' }) wardId: string,
  ): Promise<WardWorkload> {
    return this.workloads.workload(actor, wardId);
  }

  @Query(() => RequestStats, {
    description:
      'Request statistics of one ward for a period of Indian calendar days; NOT_FOUND for a ward outside the caller’s wards.',
  })
  @Allow(Permission.REQUESTS_READ)
  wardStats(
    @CurrentActor() actor: Actor,
    @Args('wardId', { type: () => ID, description: 'The ward.' }) wardId: string,
    @Args() { from, to }: StatsPeriodArgs,
  ): Promise<RequestStats> {
    return this.statistics.wardStats(actor, wardId, from, to);
  }

  @Query(() => RequestStats, {
    description:
      'Request statistics of the caller’s municipality for a period of Indian calendar days, counting only the wards whose requests the caller may read: a ward coordinator gets their own ward’s numbers, an administrator every ward’s. Another municipality is NOT_FOUND.',
  })
  @Allow(Permission.REQUESTS_READ)
  municipalityStats(
    @CurrentActor() actor: Actor,
    @Args('municipalityId', { type: () => ID, description: 'The caller’s municipality.' })
    municipalityId: string,
    @Args() { from, to }: StatsPeriodArgs,
  ): Promise<RequestStats> {
    return this.statistics.municipalityStats(actor, municipalityId, from, to);
  }
}
