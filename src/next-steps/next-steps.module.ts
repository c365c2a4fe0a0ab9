import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { RequestsModule } from '../requests/requests.module';
import { NextStepsResolver } from './next-steps.resolver';

/**
 * A request's next steps: they span the workflow, certificate issuance and deliveries, so
 * they live above all three (requests cannot know the modules that depend on it).
 */
@Module({
  imports: [RequestsModule, CertificatesModule, DeliveriesModule],
  providers: [NextStepsResolver],
})
export class NextStepsModule {}
