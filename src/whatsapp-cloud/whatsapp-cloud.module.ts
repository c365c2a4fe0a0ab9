import { Module } from '@nestjs/common';
import { WhatsAppCloudClient } from './whatsapp-cloud.client';

/** The Cloud API client alone, for the modules that send (notifications, the helpline). */
@Module({ providers: [WhatsAppCloudClient], exports: [WhatsAppCloudClient] })
export class WhatsAppCloudModule {}
