import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { WardsModule } from '../wards/wards.module';
import { DemoDataService } from './demo-data.service';

@Module({
  imports: [WardsModule, AuthModule],
  providers: [DemoDataService],
  exports: [DemoDataService],
})
export class DemoModule {}
