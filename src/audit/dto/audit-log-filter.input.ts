import { Field, ID, InputType } from '@nestjs/graphql';

@InputType({ description: 'Narrows the audit trail; all given conditions must hold.' })
export class AuditLogFilter {
  @Field(() => ID, { nullable: true, description: 'Only changes in this ward.' })
  wardId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only changes by this staff account or API client.',
  })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this kind of record, e.g. `Ward`.' })
  entityType?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only changes of this record.' })
  entityId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Changes at or after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Changes before this time.' })
  to?: Date | null;
}
