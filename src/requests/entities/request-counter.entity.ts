import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last tracking serial used by a ward in a financial year. */
@Entity('request_counters')
export class RequestCounter {
  @PrimaryColumn({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @PrimaryColumn({ name: 'financial_year', type: 'char', length: 4 })
  financialYear!: string;

  @Column({ name: 'last_number', type: 'int' })
  lastNumber!: number;
}
