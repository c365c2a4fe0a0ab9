import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/access/actor';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { requiredText } from '../common/validation/fields';
import { validateInput } from '../common/validation/validate-input';
import {
  NotificationTemplate,
  NotificationTemplatePayload,
  SaveNotificationTemplateInput,
} from './dto/notification-template.dto';
import { NotificationLanguage } from './entities/notification-enums';
import { NotificationTemplateRow } from './entities/notification-template.entity';
import { TEMPLATES, templateDefinition, templateProblems } from './notification-templates';

const saveSchema = z.object({
  body: requiredText(1000),
  whatsappTemplateName: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9_]{1,512}$/,
      'must be lower-case letters, digits and _ (as WhatsApp names templates)',
    ),
  whatsappTemplateParams: z.array(z.string()).max(10),
  dltTemplateId: z
    .string()
    .trim()
    .regex(/^[0-9]{19}$/, 'must be the 19-digit DLT template id')
    .nullish(),
});

/** Wording of the messages: a municipality's own, or the shipped default. */
@Injectable()
export class NotificationTemplatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The wording to use now, read in the caller's transaction. */
  async effective(
    manager: EntityManager,
    municipalityId: string,
    key: string,
    language: NotificationLanguage,
  ): Promise<NotificationTemplate> {
    const definition = templateDefinition(key);
    if (!definition) throw new Error(`no notification template ${key}`);
    const row = await manager.findOneBy(NotificationTemplateRow, {
      municipalityId,
      templateKey: key,
      language,
    });
    return this.shape(key, language, row);
  }

  async list(actor: Actor): Promise<NotificationTemplate[]> {
    const rows = await this.dataSource
      .getRepository(NotificationTemplateRow)
      .findBy({ municipalityId: actor.municipalityId });
    return TEMPLATES.flatMap((t) =>
      [NotificationLanguage.BN, NotificationLanguage.EN].map((language) =>
        this.shape(
          t.key,
          language,
          rows.find((r) => r.templateKey === t.key && r.language === language) ?? null,
        ),
      ),
    );
  }

  /** Saves a municipality's wording; a variable the message does not have is refused now. */
  async save(
    actor: Actor,
    input: SaveNotificationTemplateInput,
  ): Promise<NotificationTemplatePayload> {
    const definition = templateDefinition(input.templateKey);
    if (!definition) {
      return {
        template: null,
        errors: [
          userError(
            UserErrorCode.NOT_FOUND,
            'templateKey',
            `known: ${TEMPLATES.map((t) => t.key).join(', ')}`,
          ),
        ],
      };
    }
    const checked = validateInput(saveSchema, input);
    if (!checked.ok) return { template: null, errors: checked.errors };
    const { body, whatsappTemplateName, whatsappTemplateParams, dltTemplateId } = checked.value;
    const problems = templateProblems(definition, body, whatsappTemplateParams);
    if (problems.length) {
      return {
        template: null,
        errors: problems.map((p) => userError(UserErrorCode.INVALID, p.field, p.message)),
      };
    }
    const row = await this.dataSource.transaction(async (manager) => {
      await manager.upsert(
        NotificationTemplateRow,
        {
          municipalityId: actor.municipalityId,
          templateKey: definition.key,
          language: input.language,
          body,
          whatsappTemplateName,
          whatsappTemplateParams,
          dltTemplateId: dltTemplateId ?? null,
        },
        ['municipalityId', 'templateKey', 'language'],
      );
      const saved = await manager.findOneByOrFail(NotificationTemplateRow, {
        municipalityId: actor.municipalityId,
        templateKey: definition.key,
        language: input.language,
      });
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'notification_template.saved',
        entityType: 'NotificationTemplate',
        entityId: saved.id,
        municipalityId: actor.municipalityId,
        changes: {
          templateKey: definition.key,
          language: input.language,
          whatsappTemplateName,
          dltTemplateId: dltTemplateId ?? null,
        },
      });
      return saved;
    });
    return { template: this.shape(definition.key, input.language, row), errors: [] };
  }

  private shape(
    key: string,
    language: NotificationLanguage,
    row: NotificationTemplateRow | null,
  ): NotificationTemplate {
    const definition = templateDefinition(key)!;
    return {
      templateKey: key,
      language,
      variables: [...definition.variables],
      critical: definition.critical,
      body: row?.body ?? definition[language],
      whatsappTemplateName: row?.whatsappTemplateName ?? definition.whatsappTemplate.name,
      whatsappTemplateParams: row?.whatsappTemplateParams ?? [
        ...definition.whatsappTemplate.params,
      ],
      // DLT registration is per municipality (its entity): the shipped wording has none.
      dltTemplateId: row?.dltTemplateId ?? null,
      isDefault: !row,
    };
  }
}
