import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhooks/webhook.entities';
import { WebhookDeliveryResolver, WebhooksResolver } from './webhooks/webhooks.resolver';
import { WebhooksService } from './webhooks/webhooks.service';

/** What other systems rely on: outbound webhooks, signed, retried, observable. */
@Module({
  imports: [
    AuditModule,
    DomainEventsModule,
    TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery, WebhookAttempt]),
  ],
  providers: [WebhooksService, WebhooksResolver, WebhookDeliveryResolver],
  exports: [WebhooksService],
})
export class IntegrationModule {}
