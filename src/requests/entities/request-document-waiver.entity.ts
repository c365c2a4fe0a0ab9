import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

@ObjectType({ description: 'A required document a coordinator let a request go without.' })
@Entity('request_document_waivers')
@Unique('uq_request_document_waivers', ['wardId', 'requestId', 'documentCode'])
export class RequestDocumentWaiver {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field({ description: 'The document’s code in the service definition.' })
  @Column({ name: 'document_code', length: 64 })
  documentCode!: string;

  @Field({ description: 'Why it was waived.' })
  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'waived_by_id', type: 'uuid', nullable: true })
  waivedById!: string | null;

  @Field({ description: 'Who waived it (display name).' })
  @Column({ name: 'waived_by_name', length: 200 })
  waivedByName!: string;

  @Field({ description: 'When.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
