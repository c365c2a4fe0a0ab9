import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { optionalText, requiredText } from '../common/validation/fields';
import { validateInput } from '../common/validation/validate-input';
import { NotificationLanguage } from '../notifications/entities/notification-enums';
import {
  AnnouncementSettings,
  AnnouncementSettingsPayload,
  AnnouncementTemplate,
  MessagingTier,
  TIER_LIMITS,
} from './dto/announcement-settings.type';
import { AnnouncementAudience } from './dto/announcement.type';
import { SaveAnnouncementSettingsInput } from './dto/announcement.inputs';

const settingsSchema = z.object({
  messagingTier: z.enum(MessagingTier),
  templates: z
    .array(
      z.object({
        language: z.enum(NotificationLanguage),
        // Meta's template names: lower-case letters, digits and underscores.
        whatsappTemplateName: requiredText(512).pipe(
          z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and underscores only'),
        ),
        smsDltTemplateId: optionalText(30)
          .refine((id) => !id || /^\d{19}$/.test(id), 'a DLT template id is 19 digits')
          .transform((id) => id ?? null),
      }),
    )
    .max(2)
    .refine((list) => new Set(list.map((t) => t.language)).size === list.length, {
      message: 'one template per language',
    }),
});

const LANGUAGE_NAMES: Record<string, string> = { bn: 'Bengali (bn)', en: 'English (en)' };

/** The municipality's approved announcement templates and the numbers' messaging tier. */
@Injectable()
export class AnnouncementSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(manager: EntityManager, municipalityId: string): Promise<AnnouncementSettings> {
    const [row] = (await manager.query(
      `SELECT messaging_tier, templates FROM announcement_settings WHERE municipality_id = $1`,
      [municipalityId],
    )) as Array<{ messaging_tier: MessagingTier; templates: AnnouncementTemplate[] }>;
    const tier = row?.messaging_tier ?? MessagingTier.TIER_1K;
    return { messagingTier: tier, dailyLimit: TIER_LIMITS[tier], templates: row?.templates ?? [] };
  }

  read(actor: Actor): Promise<AnnouncementSettings> {
    assertAccess(actor, { municipalityId: actor.municipalityId }, Permission.RESIDENTS_READ, 'x');
    return this.get(this.dataSource.manager, actor.municipalityId);
  }

  async save(
    actor: Actor,
    input: SaveAnnouncementSettingsInput,
  ): Promise<AnnouncementSettingsPayload> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.NOTIFICATIONS_MANAGE,
      'Municipality',
    );
    const checked = validateInput(settingsSchema, input);
    if (!checked.ok) return { settings: null, errors: checked.errors };
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO announcement_settings (municipality_id, messaging_tier, templates)
         VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (municipality_id) DO UPDATE
           SET messaging_tier = $2, templates = $3::jsonb, version = announcement_settings.version + 1,
               updated_at = now()`,
        [
          actor.municipalityId,
          checked.value.messagingTier,
          JSON.stringify(checked.value.templates),
        ],
      );
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'announcement.settings_saved',
        entityType: 'Municipality',
        entityId: actor.municipalityId,
        municipalityId: actor.municipalityId,
        changes: checked.value,
      });
    });
    return { settings: await this.get(this.dataSource.manager, actor.municipalityId), errors: [] };
  }

  /**
   * What is missing to reach this audience: an approved WhatsApp template for every language
   * someone reads on WhatsApp, a DLT template id for every language sent by SMS.
   */
  missingTemplates(settings: AnnouncementSettings, audience: AnnouncementAudience): UserError[] {
    const errors: UserError[] = [];
    const templateOf = (language: string) =>
      settings.templates.find((t) => t.language === language);
    const needs: Array<[number, string, 'WHATSAPP' | 'SMS']> = [
      [audience.whatsappBn, 'bn', 'WHATSAPP'],
      [audience.whatsappEn, 'en', 'WHATSAPP'],
      [audience.smsBn, 'bn', 'SMS'],
      [audience.smsEn, 'en', 'SMS'],
    ];
    for (const [count, language, channel] of needs) {
      if (count === 0) continue;
      const template = templateOf(language);
      if (channel === 'WHATSAPP' && !template) {
        errors.push(
          userError(
            UserErrorCode.INVALID,
            'templates',
            `no approved WhatsApp template for ${LANGUAGE_NAMES[language]}, which ${count} resident(s) read: save one with saveAnnouncementSettings`,
          ),
        );
      }
      if (channel === 'SMS' && !template?.smsDltTemplateId) {
        errors.push(
          userError(
            UserErrorCode.INVALID,
            'templates',
            `no SMS DLT template id for ${LANGUAGE_NAMES[language]}, which ${count} resident(s) get by SMS: save one with saveAnnouncementSettings`,
          ),
        );
      }
    }
    return errors;
  }
}
