import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { RequestChannel, RequestPriority, RequestStatus } from './request-enums';
import { ServiceCategory } from './service-definition';
import { ServiceTypeRow } from './service-type.entity';

@ObjectType({ description: 'What a resident asked the ward for, and where it stands.' })
@Entity('service_requests')
@Unique('uq_service_requests_tracking_number', ['wardId', 'trackingNumber'])
@Index('ix_service_requests_ward_created', ['wardId', 'createdAt', 'id'])
@Index('ix_service_requests_ward_status', ['wardId', 'status', 'createdAt', 'id'])
@Index('ix_service_requests_ward_due', ['wardId', 'slaDueAt', 'id'])
@Index('ix_service_requests_ward_updated', ['wardId', 'updatedAt', 'id'])
@Index('ix_service_requests_ward_priority', ['wardId', 'priority', 'id'])
@Index('ix_service_requests_municipality_created', ['municipalityId', 'createdAt', 'id'])
@Index('ix_service_requests_tracking', ['municipalityId', 'trackingNumber'])
@Index('ix_service_requests_resident', ['residentId', 'createdAt'])
@Index('ix_service_requests_assignee', ['assigneeId', 'createdAt'])
export class ServiceRequest {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field({
    description:
      'Human tracking number, e.g. `BSR-05-2627-00042` (municipality, ward, financial year, serial).',
  })
  @Column({ name: 'tracking_number', length: 40 })
  trackingNumber!: string;

  @Column({ name: 'resident_id', type: 'uuid' })
  residentId!: string;

  @Column({ name: 'service_type_id', type: 'uuid' })
  serviceTypeId!: string;

  @ManyToOne(() => ServiceTypeRow, { nullable: false })
  @JoinColumn({
    name: 'service_type_id',
    foreignKeyConstraintName: 'service_requests_service_type_id_fkey',
  })
  private readonly serviceTypeRow?: ServiceTypeRow;

  @Field(() => Int, {
    description: 'Version of the service definition the request was made under.',
  })
  @Column({ name: 'definition_version', type: 'int' })
  definitionVersion!: number;

  @Field(() => ServiceCategory, { description: 'Category of the service asked for.' })
  @Column({ type: 'enum', enum: ServiceCategory, enumName: 'service_category' })
  category!: ServiceCategory;

  @Field(() => RequestChannel, { description: 'How the request reached the ward.' })
  @Column({ type: 'enum', enum: RequestChannel, enumName: 'request_channel' })
  channel!: RequestChannel;

  @Field(() => GraphQLJSONObject, {
    description: 'The resident’s answers, keyed by attribute code, checked against the definition.',
  })
  @Column({ type: 'jsonb' })
  attributes!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'Free text from the resident or staff.' })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => RequestPriority, { description: 'How pressing it is.' })
  @Column({
    type: 'enum',
    enum: RequestPriority,
    enumName: 'request_priority',
    default: RequestPriority.NORMAL,
  })
  priority!: RequestPriority;

  @Field(() => RequestStatus, { description: 'Where it stands in the workflow.' })
  @Column({
    type: 'enum',
    enum: RequestStatus,
    enumName: 'request_status',
    default: RequestStatus.SUBMITTED,
  })
  status!: RequestStatus;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Field({ description: 'When the outcome is promised (moves later while the clock is paused).' })
  @Column({ name: 'sla_due_at', type: 'timestamptz' })
  slaDueAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'Since when the SLA clock is paused (waiting for the resident), if it is.',
  })
  @Column({ name: 'sla_paused_at', type: 'timestamptz', nullable: true })
  slaPausedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the SLA sweep found the running clock past its due time (reset when the clock restarts).',
  })
  @Column({ name: 'sla_breached_at', type: 'timestamptz', nullable: true })
  slaBreachedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When an outcome was reached (delivered, resolved, rejected, cancelled).',
  })
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Field({ description: 'When the status last changed.' })
  @Column({ name: 'status_changed_at', type: 'timestamptz', default: () => 'now()' })
  statusChangedAt!: Date;

  @Field(() => Int, { description: 'Optimistic-locking version; send it back with every change.' })
  @VersionColumn({ default: 1 })
  version!: number;

  @Field({ description: 'When the request was made.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When the request last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
