import { PageArgs } from '../common/pagination/page.args';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { AuditService } from './audit.service';
import { AuditEntryConnection } from './dto/audit-entry.connection';
import { AuditLogFilter } from './dto/audit-log-filter.input';
import { AuditEntry } from './entities/audit-entry.entity';

@Resolver(() => AuditEntry)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEntryConnection, {
    description:
      'The audit trail, newest first. Administrators see their municipality; coordinators the changes in their wards.',
  })
  @Allow(Permission.AUDIT_READ)
  auditLog(
    @CurrentActor() actor: Actor,
    @Args('filter', {
      type: () => AuditLogFilter,
      nullable: true,
      description: 'Conditions to match.',
    })
    filter: AuditLogFilter | null,
    @Args() { first, after }: PageArgs,
  ): Promise<AuditEntryConnection> {
    return this.audit.list(actor, filter, first, after);
  }
}
