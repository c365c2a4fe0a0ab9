import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { HousekeepingService } from './housekeeping.service';

/** Purges rows that only grow: expired idempotency keys, rate windows, sign-in throttles. */
@Module({
  imports: [AuthModule, RateLimitModule, IdempotencyModule],
  providers: [HousekeepingService],
  exports: [HousekeepingService],
})
export class HousekeepingModule {}
