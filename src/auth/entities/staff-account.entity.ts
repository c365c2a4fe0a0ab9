import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

@ObjectType({
  description: 'A staff member who signs in: administrator, signatory, coordinator, field agent.',
})
@Entity('staff_accounts')
@Unique('uq_staff_accounts_username', ['username'])
@Unique('uq_staff_accounts_phone', ['phone'])
@Index('ix_staff_accounts_municipality', ['municipalityId', 'username'])
export class StaffAccount {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field({ description: 'Sign-in name, lower case.' })
  @Column({ length: 64 })
  username!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Phone number (E.164); also a sign-in name.',
  })
  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Field({ description: 'Name shown to colleagues and in the audit trail.' })
  @Column({ name: 'display_name', length: 200 })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Field({ description: 'Deactivated accounts cannot sign in; their sessions ended.' })
  @Column({ default: true })
  active!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the account was deactivated.' })
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @Field({ description: 'When the password was last set.' })
  @Column({ name: 'password_changed_at', type: 'timestamptz', default: () => 'now()' })
  passwordChangedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Last successful sign-in.' })
  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @Field(() => Int, { description: 'Optimistic-locking version; send it back with updates.' })
  @VersionColumn({ default: 1 })
  version!: number;

  @Field({ description: 'When the account was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When the account last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
