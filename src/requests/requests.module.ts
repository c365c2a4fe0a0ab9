import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { ServiceTypeVersion } from './entities/service-type-version.entity';
import { ServiceTypeRow } from './entities/service-type.entity';
import { ServiceCatalogueResolver } from './service-catalogue.resolver';
import { ServiceCatalogueService } from './service-catalogue.service';

/** Service requests. So far: the service catalogue they are made against. */
@Module({
  imports: [AuditModule, TypeOrmModule.forFeature([ServiceTypeRow, ServiceTypeVersion])],
  providers: [ServiceCatalogueService, ServiceCatalogueResolver],
  exports: [ServiceCatalogueService],
})
export class RequestsModule {}
