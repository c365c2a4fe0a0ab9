import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
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

/** How long a municipality's own wordings are kept before they are read again. */
const WORDING_KEPT_MS = 10_000;

/** Wording of the messages: a municipality's own, or the shipped default. */
@Injectable()
export class NotificationTemplatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * A municipality's own wordings, kept for a few seconds: every message reads one, and
   * they change a few times a year. A save here drops them at once; another instance
   * picks the new wording up within `WORDING_KEPT_MS`.
   */
  private readonly wordings = new LRUCache<string, Map<string, NotificationTemplateRow>>({
    max: 1000,
    ttl: WORDING_KEPT_MS,
  });

  /** The wording to use now (a municipality's own is read in the caller's transaction). */
  async effective(
    manager: EntityManager,
    municipalityId: string,
    key: string,
    language: NotificationLanguage,
  ): Promise<NotificationTemplate> {
    const definition = templateDefinition(key);
    if (!definition) throw new Error(`no notification template ${key}`);
    const own = await this.wordingsOf(manager, municipalityId);
    return this.shape(key, language, own.get(`${key}:${language}`) ?? null);
  }

  /** Only what was read is kept: a read that fails fails its own transaction alone. */
  private async wordingsOf(
    manager: EntityManager,
    municipalityId: string,
  ): Promise<Map<string, NotificationTemplateRow>> {
    const kept = this.wordings.get(municipalityId);
    if (kept) return kept;
    const rows = await manager.findBy(NotificationTemplateRow, { municipalityId });
    const own = new Map(rows.map((row) => [`${row.templateKey}:${row.language}`, row]));
    this.wordings.set(municipalityId, own);
    return own;
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
    // After the commit: a read before it would keep the old wording again.
    this.wordings.delete(actor.municipalityId);
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
