import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { WardsModule } from '../wards/wards.module';
import { ResidentWardMove } from './entities/resident-ward-move.entity';
import { Resident } from './entities/resident.entity';
import { ResidentImportController } from './resident-import.controller';
import { ResidentImportService } from './resident-import.service';
import { ResidentLoaders } from './resident.loaders';
import { ResidentResolver } from './resident.resolver';
import { ResidentsService } from './residents.service';

@Module({
  imports: [
    AuditModule,
    AuthModule,
    DomainEventsModule,
    WardsModule,
    TypeOrmModule.forFeature([Resident, ResidentWardMove]),
  ],
  controllers: [ResidentImportController],
  providers: [ResidentsService, ResidentImportService, ResidentLoaders, ResidentResolver],
  exports: [ResidentsService, ResidentImportService, ResidentLoaders],
})
export class ResidentsModule {}
