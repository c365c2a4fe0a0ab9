import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A scheduled job's run, claimed once across every app instance (e.g. one digest a day). */
@Entity('job_runs')
export class JobRun {
  @PrimaryColumn({ length: 60 })
  job!: string;

  @PrimaryColumn({ name: 'run_key', length: 60 })
  runKey!: string;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;
}
