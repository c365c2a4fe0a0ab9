import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { HousekeepingService } from './housekeeping.service';

/** Purges rows that only grow: idempotency keys, rate windows, throttles, raw payloads. */
@Module({
  imports: [AuthModule, RateLimitModule, IdempotencyModule, WhatsAppModule],
  providers: [HousekeepingService],
  exports: [HousekeepingService],
})
export class HousekeepingModule {}
