import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';

/** A ward's missed-call number (the provider's virtual number residents ring). */
@Entity('missed_call_numbers')
@Unique('uq_missed_call_numbers_number', ['number'])
export class MissedCallNumber {
  @PrimaryColumn({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ length: 16 })
  number!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
