import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { ExportsController } from './exports/exports.controller';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { RequestsModule } from '../requests/requests.module';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhooks/webhook.entities';
import { WebhookDeliveryResolver, WebhooksResolver } from './webhooks/webhooks.resolver';
import { WebhooksService } from './webhooks/webhooks.service';

/** What other systems rely on: outbound webhooks (signed, retried, observable) and CSV exports. */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    CertificatesModule,
    DomainEventsModule,
    RequestsModule,
    TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery, WebhookAttempt]),
  ],
  controllers: [ExportsController],
  providers: [WebhooksService, WebhooksResolver, WebhookDeliveryResolver],
  exports: [WebhooksService],
})
export class IntegrationModule {}
