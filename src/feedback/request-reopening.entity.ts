import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One reopening of a request: why, and whether the resident or staff asked for it. */
@Entity('request_reopenings')
@Index('ix_request_reopenings_request', ['requestId', 'createdAt'])
export class RequestReopening {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'by_resident' })
  byResident!: boolean;

  @Column({ name: 'actor_name', length: 200 })
  actorName!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
