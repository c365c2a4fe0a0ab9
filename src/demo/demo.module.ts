import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { RequestsModule } from '../requests/requests.module';
import { ResidentsModule } from '../residents/residents.module';
import { WardsModule } from '../wards/wards.module';
import { DemoDataService } from './demo-data.service';
import { PublishedDemoAccountsGuard } from './published-demo-accounts.guard';

@Module({
  imports: [
    WardsModule,
    AuthModule,
    ResidentsModule,
    RequestsModule,
    CertificatesModule,
    DeliveriesModule,
  ],
  providers: [DemoDataService, PublishedDemoAccountsGuard],
  exports: [DemoDataService],
})
export class DemoModule {}
