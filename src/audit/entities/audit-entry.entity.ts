import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export enum AuditActorType {
  STAFF = 'STAFF',
  API_CLIENT = 'API_CLIENT',
  RESIDENT = 'RESIDENT',
  SYSTEM = 'SYSTEM',
}

registerEnumType(AuditActorType, {
  name: 'AuditActorType',
  description: 'Who made a change.',
  valuesMap: {
    STAFF: { description: 'A staff member, through the API.' },
    API_CLIENT: { description: 'An integration client, with its key.' },
    RESIDENT: { description: 'A resident, through the WhatsApp helpline.' },
    SYSTEM: { description: 'Duare itself: a background job or start-up.' },
  },
});

@ObjectType({ description: 'One change, as recorded in the append-only audit trail.' })
@Entity('audit_log')
@Unique('uq_audit_log_seq', ['seq'])
@Index('ix_audit_log_municipality', ['municipalityId', 'seq'])
@Index('ix_audit_log_ward', ['wardId', 'seq'])
@Index('ix_audit_log_entity', ['entityType', 'entityId', 'seq'])
@Index('ix_audit_log_actor', ['actorId', 'seq'])
export class AuditEntry {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Insertion order (bigint, as a string): the keyset of audit pages. */
  @Column({ type: 'bigint', generatedIdentity: 'ALWAYS', generated: 'identity' })
  seq!: string;

  @Field({ description: 'When the change was committed.' })
  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Field(() => AuditActorType, { description: 'Kind of actor.' })
  @Column({ name: 'actor_type', type: 'enum', enum: AuditActorType, enumName: 'audit_actor_type' })
  actorType!: AuditActorType;

  @Field(() => ID, { nullable: true, description: 'The staff account, API client or resident.' })
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Field(() => String, { nullable: true, description: 'Username or client name at the time.' })
  @Column({ name: 'actor_label', type: 'varchar', length: 200, nullable: true })
  actorLabel!: string | null;

  @Field({ description: 'What happened, e.g. `ward.updated`.' })
  @Column({ length: 64 })
  action!: string;

  @Field({ description: 'Kind of record changed, e.g. `Ward`.' })
  @Column({ name: 'entity_type', length: 64 })
  entityType!: string;

  @Field(() => ID, { nullable: true, description: 'The record changed.' })
  @Column({ name: 'entity_id', type: 'uuid', nullable: true })
  entityId!: string | null;

  @Column({ name: 'municipality_id', type: 'uuid', nullable: true })
  municipalityId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The ward the record belongs to, if any.' })
  @Column({ name: 'ward_id', type: 'uuid', nullable: true })
  wardId!: string | null;

  @Field(() => GraphQLJSONObject, {
    description:
      'What changed: `{ field: { from, to } }` for updates, the new values for creations; never secrets.',
  })
  @Column({ type: 'jsonb', default: () => "'{}'" })
  changes!: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'The request (x-request-id) or job that did it.',
  })
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;
}
