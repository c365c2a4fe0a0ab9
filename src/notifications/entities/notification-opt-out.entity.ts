import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A resident who asked for no non-essential messages. */
@Entity('notification_opt_outs')
export class NotificationOptOut {
  @PrimaryColumn({ name: 'resident_id', type: 'uuid' })
  residentId!: string;

  @CreateDateColumn({ name: 'opted_out_at', type: 'timestamptz' })
  optedOutAt!: Date;
}
