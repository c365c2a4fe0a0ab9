import { FilesModule } from '../files/files.module';
import { RequestDocumentWaiver } from './entities/request-document-waiver.entity';
import { RequestDocumentsController } from './documents/request-documents.controller';
import { RequestDocumentsResolver } from './documents/request-documents.resolver';
import { RequestDocumentsService } from './documents/request-documents.service';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { ResidentsModule } from '../residents/residents.module';
import { WardsModule } from '../wards/wards.module';
import { JobRun } from './entities/job-run.entity';
import { MunicipalityHoliday } from './entities/municipality-holiday.entity';
import { RequestAttachment } from './entities/request-attachment.entity';
import { RequestCounter } from './entities/request-counter.entity';
import { ServiceRequest } from './entities/service-request.entity';
import { ServiceTypeVersion } from './entities/service-type-version.entity';
import { ServiceTypeRow } from './entities/service-type.entity';
import { TimelineEntry } from './entities/timeline-entry.entity';
import { RequestJournalService } from './request-journal.service';
import { RequestQueueService } from './queue/request-queue.service';
import { RequestWorkflowService } from './request-workflow.service';
import { RequestLoaders } from './queue/request.loaders';
import { RequestResolver } from './request.resolver';
import { RequestsService } from './requests.service';
import { RequestSlaService } from './sla/request-sla.service';
import { SlaCalendarService } from './sla/sla-calendar.service';
import { SlaResolver } from './sla/sla.resolver';
import { ServiceCatalogueResolver } from './catalogue/service-catalogue.resolver';
import { ServiceCatalogueService } from './catalogue/service-catalogue.service';

/** The service catalogue, requests, their workflow, timeline and queue. */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    DomainEventsModule,
    IdempotencyModule,
    ResidentsModule,
    WardsModule,
    FilesModule,
    TypeOrmModule.forFeature([
      ServiceTypeRow,
      ServiceTypeVersion,
      ServiceRequest,
      RequestCounter,
      TimelineEntry,
      RequestAttachment,
      RequestDocumentWaiver,
      MunicipalityHoliday,
      JobRun,
    ]),
  ],
  controllers: [RequestDocumentsController],
  providers: [
    RequestDocumentsService,
    RequestDocumentsResolver,
    ServiceCatalogueService,
    ServiceCatalogueResolver,
    RequestsService,
    RequestWorkflowService,
    RequestQueueService,
    RequestJournalService,
    RequestLoaders,
    RequestResolver,
    SlaCalendarService,
    RequestSlaService,
    SlaResolver,
  ],
  exports: [
    ServiceCatalogueService,
    RequestsService,
    RequestWorkflowService,
    RequestSlaService,
    RequestLoaders,
  ],
})
export class RequestsModule {}
