import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last certificate serial of a municipality, type and financial year. */
@Entity('certificate_counters')
export class CertificateCounter {
  @PrimaryColumn({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @PrimaryColumn({ name: 'type_code', length: 10 })
  typeCode!: string;

  @PrimaryColumn({ name: 'financial_year', length: 7 })
  financialYear!: string;

  @Column({ name: 'last_number', type: 'int' })
  lastNumber!: number;
}
