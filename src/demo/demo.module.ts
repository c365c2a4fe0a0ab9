import { Module } from '@nestjs/common';
import { WardsModule } from '../wards/wards.module';
import { DemoDataService } from './demo-data.service';

@Module({
  imports: [WardsModule],
  providers: [DemoDataService],
  exports: [DemoDataService],
})
export class DemoModule {}
