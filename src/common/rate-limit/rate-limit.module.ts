import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RateLimitWindow } from './rate-limit-window.entity';
import { RateLimiterService } from './rate-limiter.service';

@Module({
  imports: [TypeOrmModule.forFeature([RateLimitWindow])],
  providers: [RateLimiterService],
  exports: [RateLimiterService],
})
export class RateLimitModule {}
