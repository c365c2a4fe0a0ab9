import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export enum DeliveryStatus {
  SCHEDULED = 'SCHEDULED',
  ON_THE_WAY = 'ON_THE_WAY',
  LOCKED = 'LOCKED',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description: 'Where a doorstep delivery is.',
  valuesMap: {
    SCHEDULED: {
      description: 'Planned for a day and window; the field agent has not set out yet.',
    },
    ON_THE_WAY: {
      description:
        'The field agent started the trip; the resident was told and got the code to give at the door.',
    },
    LOCKED: { description: 'Too many wrong codes: the coordinator must send a new one.' },
    DELIVERED: { description: 'Handed over (the code matched).' },
    FAILED: { description: 'The attempt failed; the request went back to scheduling.' },
    CANCELLED: { description: 'Called off by the coordinator.' },
  },
});

/** A delivery not yet finished one way or another (at most one per request). */
export const UNDER_WAY_STATUSES: readonly DeliveryStatus[] = [
  DeliveryStatus.SCHEDULED,
  DeliveryStatus.ON_THE_WAY,
  DeliveryStatus.LOCKED,
];

export enum DeliveryFailure {
  NOT_AT_HOME = 'NOT_AT_HOME',
  WRONG_ADDRESS = 'WRONG_ADDRESS',
  REFUSED = 'REFUSED',
  OTHER = 'OTHER',
}
registerEnumType(DeliveryFailure, {
  name: 'DeliveryFailure',
  description: 'Why a hand-over failed.',
});

@ObjectType({ description: 'Taking a request’s outcome to the resident’s door.' })
@Entity('deliveries')
@Index('ix_deliveries_agent', ['agentId', 'scheduledDate', 'id'])
@Index('ix_deliveries_request', ['requestId', 'createdAt'])
export class Delivery {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field(() => ID, { description: 'Ward.' })
  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field(() => ID, { description: 'The request delivered.' })
  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Field(() => ID, { description: 'The field agent.' })
  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Field({ description: 'Day (YYYY-MM-DD, India).' })
  @Column({ name: 'scheduled_date', type: 'date' })
  scheduledDate!: string;

  @Field({ description: 'Window start, HH:MM.' })
  @Column({ name: 'window_start', length: 5 })
  windowStart!: string;

  @Field({ description: 'Window end, HH:MM.' })
  @Column({ name: 'window_end', length: 5 })
  windowEnd!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The request’s tracking number (what to take along); null on deliveries made before it was kept.',
  })
  @Column({ name: 'tracking_number', type: 'varchar', length: 32, nullable: true })
  trackingNumber!: string | null;

  /** Who to hand it to, copied at scheduling; shown through `recipient` (see its rule). */
  @Column({ name: 'recipient_name', type: 'varchar', length: 200, nullable: true })
  recipientName!: string | null;

  @Column({ name: 'recipient_phone', type: 'varchar', length: 20, nullable: true })
  recipientPhone!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Where to go.' })
  @Column({ type: 'jsonb' })
  address!: Record<string, unknown>;

  @Field(() => DeliveryStatus, { description: 'Where it is.' })
  @Column({ type: 'varchar', length: 12, default: DeliveryStatus.SCHEDULED })
  status!: DeliveryStatus;

  /** SHA-256 of the delivery id and the hand-over code: the code itself is never stored. */
  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash!: string;

  @Field(() => Int, { description: 'Wrong codes tried so far.' })
  @Column({ name: 'code_attempts', type: 'int', default: 0 })
  codeAttempts!: number;

  @Field(() => DeliveryFailure, { nullable: true, description: 'Why it failed.' })
  @Column({ name: 'failure_reason', type: 'varchar', length: 20, nullable: true })
  failureReason!: DeliveryFailure | null;

  @Field(() => String, { nullable: true, description: 'The agent’s note on a failure.' })
  @Column({ name: 'failure_note', type: 'text', nullable: true })
  failureNote!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was handed over.' })
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Field(() => Int, { description: 'Optimistic-locking version.' })
  @VersionColumn({ default: 1 })
  version!: number;

  @Field({ description: 'When it was scheduled.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
