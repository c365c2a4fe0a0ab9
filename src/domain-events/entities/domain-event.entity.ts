import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/**
 * Something that happened, written in the same transaction as the change itself (an
 * outbox): notifications, integration webhooks and live subscriptions read it, so a
 * change that commits is always announced and one that rolls back never is.
 */
@Entity('domain_events')
@Index('ix_domain_events_aggregate', ['aggregateId', 'position'])
@Unique('uq_domain_events_position', ['position'])
export class DomainEventRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Commit-independent total order of recording, for consumers that read in sequence. */
  @Column({ type: 'bigint', insert: false, update: false })
  @Generated('increment')
  position!: string;

  @Column({ length: 60 })
  type!: string;

  @Column({ name: 'aggregate_type', length: 40 })
  aggregateType!: string;

  @Column({ name: 'aggregate_id', type: 'uuid' })
  aggregateId!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'ward_id', type: 'uuid', nullable: true })
  wardId!: string | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
