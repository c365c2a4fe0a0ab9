import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';
import { AuditEntry } from './entities/audit-entry.entity';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  providers: [AuditService, AuditResolver],
  exports: [AuditService],
})
export class AuditModule {}
