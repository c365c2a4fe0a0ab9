import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ApiClient } from './api-client.entity';

/** A ward an API client is restricted to (no rows: the whole municipality). */
@Entity('api_client_wards')
export class ApiClientWard {
  @PrimaryColumn({ name: 'api_client_id', type: 'uuid' })
  apiClientId!: string;

  @ManyToOne(() => ApiClient, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'api_client_id',
    foreignKeyConstraintName: 'api_client_wards_api_client_id_fkey',
  })
  private readonly clientRow?: ApiClient;

  @PrimaryColumn({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;
}
