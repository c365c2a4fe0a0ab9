import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

/** A municipality's own wording of a message (otherwise the shipped default is used). */
@Entity('notification_templates')
@Unique('uq_notification_templates', ['municipalityId', 'templateKey', 'language'])
export class NotificationTemplateRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'template_key', length: 60 })
  templateKey!: string;

  @Column({ type: 'varchar', length: 2 })
  language!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'whatsapp_template_name', length: 512 })
  whatsappTemplateName!: string;

  @Column({ name: 'whatsapp_template_params', type: 'jsonb', default: () => "'[]'" })
  whatsappTemplateParams!: string[];

  /** TRAI DLT template id of this wording (SMS); null: not registered. */
  @Column({ name: 'dlt_template_id', type: 'varchar', length: 19, nullable: true })
  dltTemplateId!: string | null;

  @VersionColumn({ default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
