import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffRole } from '../../common/access/staff-role';
import { StaffAccount } from './staff-account.entity';

@ObjectType('RoleGrant', {
  description: 'A role held by a staff member, for the municipality or one ward.',
})
@Entity('staff_role_grants')
@Index('uq_staff_role_grants_ward', ['accountId', 'role', 'wardId'], {
  unique: true,
  where: 'ward_id IS NOT NULL',
})
@Index('uq_staff_role_grants_municipality', ['accountId', 'role'], {
  unique: true,
  where: 'ward_id IS NULL',
})
export class RoleGrantRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => StaffAccount, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'staff_role_grants_account_id_fkey' })
  private readonly accountRow?: StaffAccount;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field(() => StaffRole, { description: 'The role.' })
  @Column({ type: 'enum', enum: StaffRole, enumName: 'staff_role' })
  role!: StaffRole;

  @Field(() => ID, {
    nullable: true,
    description: 'The ward, for ward roles; null for municipality-wide roles.',
  })
  @Column({ name: 'ward_id', type: 'uuid', nullable: true })
  wardId!: string | null;
}
