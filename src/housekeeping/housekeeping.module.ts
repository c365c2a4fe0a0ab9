import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { IntegrationModule } from '../integration/integration.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { HousekeepingService } from './housekeeping.service';

/**
 * Purges rows that only grow: idempotency keys, rate windows, throttles, raw payloads,
 * finished webhook deliveries (with their attempts) and finished notifications.
 */
@Module({
  imports: [
    AuthModule,
    RateLimitModule,
    IdempotencyModule,
    WhatsAppModule,
    IntegrationModule,
    NotificationsModule,
  ],
  providers: [HousekeepingService],
  exports: [HousekeepingService],
})
export class HousekeepingModule {}
