import { Module } from '@nestjs/common';
import { WardsModule } from '../wards/wards.module';
import { StatisticsResolver } from './statistics.resolver';
import { StatisticsService } from './statistics.service';
import { WardWorkloadService } from './ward-workload.service';
import { HelplineStatsResolver } from './helpline-stats.resolver';
import { HelplineStatsService } from './helpline-stats.service';

/**
 * Ward and municipality statistics of requests, read straight from the requests tables in
 * a few aggregate SQL statements (nothing is stored).
 */
@Module({
  imports: [WardsModule],
  providers: [
    StatisticsService,
    StatisticsResolver,
    WardWorkloadService,
    HelplineStatsService,
    HelplineStatsResolver,
  ],
})
export class StatisticsModule {}
