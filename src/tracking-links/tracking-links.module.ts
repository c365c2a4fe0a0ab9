import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module';
import { RequestsModule } from '../requests/requests.module';
import { ResidentsModule } from '../residents/residents.module';
import { TrackingLink } from './tracking-link.entity';
import { TrackingLinksController } from './tracking-links.controller';
import { RequestTrackingLinkResolver, TrackingLinksResolver } from './tracking-links.resolver';
import { TrackingLinksService } from './tracking-links.service';

/**
 * Public tracking pages. Depends on requests and residents only; notifications use it to
 * put the link into the acknowledgement.
 */
@Module({
  imports: [
    RateLimitModule,
    RequestsModule,
    ResidentsModule,
    TypeOrmModule.forFeature([TrackingLink]),
  ],
  controllers: [TrackingLinksController],
  providers: [TrackingLinksService, RequestTrackingLinkResolver, TrackingLinksResolver],
  exports: [TrackingLinksService],
})
export class TrackingLinksModule {}
