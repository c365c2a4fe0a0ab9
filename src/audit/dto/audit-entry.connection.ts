import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection.type';
import { AuditEntry } from '../entities/audit-entry.entity';

@ObjectType({ description: 'A page of audit entries.' })
export class AuditEntryConnection extends Connection(AuditEntry, 'AuditEntry') {}
