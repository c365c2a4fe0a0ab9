import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed sign-ins per login name or per address (keys stored as SHA-256). */
@Entity('sign_in_throttles')
export class SignInThrottle {
  @PrimaryColumn({ type: 'char', length: 64 })
  key!: string;

  @Column({ type: 'int' })
  failures!: number;

  @Column({ name: 'last_failure_at', type: 'timestamptz' })
  lastFailureAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
