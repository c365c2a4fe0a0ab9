import { Column, Entity, PrimaryColumn } from 'typeorm';

/** When a resident last wrote to a helpline: free-form replies are allowed for 24 hours. */
@Entity('whatsapp_windows')
export class WhatsAppWindow {
  @PrimaryColumn({ name: 'phone_number_id', length: 64 })
  phoneNumberId!: string;

  @PrimaryColumn({ name: 'wa_id', length: 160 })
  waId!: string;

  @Column({ name: 'last_inbound_at', type: 'timestamptz' })
  lastInboundAt!: Date;
}
