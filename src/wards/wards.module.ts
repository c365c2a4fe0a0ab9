import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { RoleGrantWardResolver, ViewerMunicipalityResolver } from './role-grant-ward.resolver';
import { CouncillorStatusChange } from './entities/councillor-status-change.entity';
import { Municipality } from './entities/municipality.entity';
import { Ward } from './entities/ward.entity';
import { MunicipalitiesService } from './municipalities.service';
import { MunicipalityResolver } from './municipality.resolver';
import { WardLoaders } from './ward.loaders';
import { WardResolver } from './ward.resolver';
import { WardsService } from './wards.service';

@Module({
  imports: [AuditModule, TypeOrmModule.forFeature([Municipality, Ward, CouncillorStatusChange])],
  providers: [
    WardsService,
    MunicipalitiesService,
    WardLoaders,
    WardResolver,
    MunicipalityResolver,
    RoleGrantWardResolver,
    ViewerMunicipalityResolver,
  ],
  exports: [WardsService, MunicipalitiesService, WardLoaders],
})
export class WardsModule {}
