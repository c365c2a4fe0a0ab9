import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AuditActorType } from '../../audit/entities/audit-entry.entity';
import { RequestAction, RequestStatus, TimelineEntryKind } from './request-enums';
import { ServiceRequest } from './service-request.entity';

@ObjectType({ description: 'One thing that happened to a request, in order.' })
@Entity('request_events')
@Index('ix_request_events_request', ['requestId', 'occurredAt', 'id'])
export class TimelineEntry {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => ServiceRequest, { nullable: false })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'request_events_request_id_fkey' })
  private readonly requestRow?: ServiceRequest;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field(() => TimelineEntryKind, { description: 'What it records.' })
  @Column({ type: 'varchar', length: 30 })
  kind!: TimelineEntryKind;

  @Field(() => RequestAction, {
    nullable: true,
    description: 'Workflow action, for status changes.',
  })
  @Column({ type: 'varchar', length: 30, nullable: true })
  action!: RequestAction | null;

  @Field(() => RequestStatus, { nullable: true, description: 'Status before.' })
  @Column({
    name: 'from_status',
    type: 'enum',
    enum: RequestStatus,
    enumName: 'request_status',
    nullable: true,
  })
  fromStatus!: RequestStatus | null;

  @Field(() => RequestStatus, { nullable: true, description: 'Status after.' })
  @Column({
    name: 'to_status',
    type: 'enum',
    enum: RequestStatus,
    enumName: 'request_status',
    nullable: true,
  })
  toStatus!: RequestStatus | null;

  @Field(() => String, { nullable: true, description: 'Reason, note or comment.' })
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Field({ description: 'Whether the resident is told this entry.' })
  @Column({ name: 'resident_visible', default: false })
  residentVisible!: boolean;

  @Field(() => AuditActorType, { description: 'Kind of actor.' })
  @Column({ name: 'actor_type', type: 'varchar', length: 20 })
  actorType!: AuditActorType;

  @Field(() => ID, { nullable: true, description: 'Staff account or API client id.' })
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Field({ description: 'Who acted: username, API client name or `system`.' })
  @Column({ name: 'actor_name', length: 200 })
  actorName!: string;

  @Field(() => GraphQLJSONObject, {
    description: 'Details of the entry (e.g. assignee, priority).',
  })
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Field({ description: 'When it happened.' })
  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt!: Date;
}
