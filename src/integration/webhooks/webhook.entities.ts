import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

@ObjectType({ description: 'A URL of another system that Duare calls when things happen.' })
@Entity('webhook_endpoints')
@Index('ix_webhook_endpoints_municipality', ['municipalityId', 'status'])
export class WebhookEndpoint {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  /** `API_CLIENT` or `STAFF`: API clients see only their own endpoints. */
  @Column({ name: 'owner_type', length: 12 })
  ownerType!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Field({ description: 'Where deliveries are POSTed.' })
  @Column({ length: 2000 })
  url!: string;

  @Field(() => [String], { description: 'Event types delivered.' })
  @Column({ name: 'event_types', type: 'jsonb' })
  eventTypes!: string[];

  @Field(() => [ID], { description: 'Only events of these wards; empty: every ward.' })
  @Column({ name: 'ward_ids', type: 'jsonb', default: () => "'[]'" })
  wardIds!: string[];

  /** Signs deliveries (HMAC-SHA256); shown once when the endpoint is created. */
  @Column({ length: 100 })
  secret!: string;

  @Field({ description: '`ACTIVE` or `DISABLED`.' })
  @Column({ length: 12, default: 'ACTIVE' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Why it was disabled.' })
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was disabled.' })
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Field(() => Int, { description: 'Optimistic-locking version.' })
  @VersionColumn({ default: 1 })
  version!: number;

  @Field({ description: 'When it was registered.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One event to one endpoint, retried until it succeeds or gives up.' })
@Entity('webhook_deliveries')
@Unique('uq_webhook_deliveries_seq', ['seq'])
@Unique('uq_webhook_deliveries_once', ['endpointId', 'eventId'])
@Index('ix_webhook_deliveries_endpoint', ['endpointId', 'seq'])
export class WebhookDelivery {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', insert: false, update: false })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpoint, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'endpoint_id',
    foreignKeyConstraintName: 'webhook_deliveries_endpoint_id_fkey',
  })
  private readonly endpointRow?: WebhookEndpoint;

  @Field(() => ID, {
    description: 'The event id: the same in every attempt; receivers deduplicate by it.',
  })
  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Field({ description: 'Event type.' })
  @Column({ name: 'event_type', length: 60 })
  eventType!: string;

  @Field({ description: 'The JSON body sent.' })
  @Column({ type: 'text' })
  body!: string;

  @Field({ description: '`PENDING`, `SUCCEEDED` or `FAILED`.' })
  @Column({ length: 12, default: 'PENDING' })
  status!: string;

  @Field(() => Int, { description: 'Attempts so far.' })
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Field({ description: 'When the next attempt is due (while PENDING).' })
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Field({ description: 'After this it is no longer retried.' })
  @Column({ name: 'give_up_at', type: 'timestamptz' })
  giveUpAt!: Date;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt.' })
  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Network error of the last attempt.' })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Field(() => Date, { nullable: true, description: 'When a 2xx answer came.' })
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Field({ description: 'When it was queued.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
@Entity('webhook_attempts')
@Index('ix_webhook_attempts_delivery', ['deliveryId', 'attemptedAt'])
export class WebhookAttempt {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @ManyToOne(() => WebhookDelivery, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'delivery_id',
    foreignKeyConstraintName: 'webhook_attempts_delivery_id_fkey',
  })
  private readonly deliveryRow?: WebhookDelivery;

  @Field({ description: 'When.' })
  @CreateDateColumn({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt!: Date;

  @Field(() => Int, {
    nullable: true,
    description: 'HTTP status answered (none on network errors).',
  })
  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode!: number | null;

  @Field(() => Int, { description: 'How long it took.' })
  @Column({ name: 'duration_ms', type: 'int' })
  durationMs!: number;

  @Field(() => String, { nullable: true, description: 'The first 500 characters of the answer.' })
  @Column({ name: 'response_excerpt', type: 'text', nullable: true })
  responseExcerpt!: string | null;

  @Field(() => String, { nullable: true, description: 'Network error, if any.' })
  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
