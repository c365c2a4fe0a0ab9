import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Hits of one key in one fixed window (shared by every app instance). */
@Entity('rate_limit_windows')
export class RateLimitWindow {
  @PrimaryColumn({ length: 100 })
  key!: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ type: 'int' })
  hits!: number;
}
