import { assertUuid } from '../common/graphql/uuid';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { StaffRole } from '../common/access/staff-role';
import { violatedUniqueConstraint } from '../common/errors/database-errors';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { Refusal, refusable, refused as refusedPayload } from '../common/errors/refusal';
import { keptUnlessGiven, requiredText } from '../common/validation/fields';
import { validateInput, withCode } from '../common/validation/validate-input';
import { lockRow, updateAtVersion } from '../database/row-lock';
import { templateProblems } from './certificate-type-templates';
import {
  CertificateTypePayload,
  CreateCertificateTypeInput,
  RetireCertificateTypeInput,
  UpdateCertificateTypeInput,
} from './dto/certificate-type.inputs';
import { CertificateType } from './entities/certificate-type.entity';

const SIGNER_ROLES = [StaffRole.SIGNATORY, StaffRole.WARD_COORDINATOR] as const;
const AUDITED = [
  'nameBn',
  'nameEn',
  'signerRole',
  'validityDays',
  'feeRupees',
  'templateBn',
  'templateEn',
  'attributeCodes',
] as const;

const fields = {
  nameBn: requiredText(200),
  nameEn: requiredText(200),
  signerRole: z.enum(SIGNER_ROLES, { message: 'must be SIGNATORY or WARD_COORDINATOR' }),
  validityDays: z.number().int().min(1).max(3650).nullish(),
  feeRupees: z.number().int().min(0).max(1_000_000).nullish(),
  templateBn: requiredText(5000),
  templateEn: requiredText(5000),
  attributeCodes: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be an attribute code (a–z, 0–9, _)'))
    .max(30)
    .nullish(),
};

const createSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2,10}$/, {
      message: 'must be 2–10 letters A–Z',
      ...withCode(UserErrorCode.INVALID_FORMAT),
    }),
  ...fields,
});

const updateSchema = z.object({
  id: z.uuid('must be an ID (UUID)'),
  version: z.number().int().min(1),
  nameBn: keptUnlessGiven(fields.nameBn),
  nameEn: keptUnlessGiven(fields.nameEn),
  signerRole: keptUnlessGiven(fields.signerRole),
  validityDays: fields.validityDays,
  feeRupees: keptUnlessGiven(z.number().int().min(0).max(1_000_000)),
  templateBn: keptUnlessGiven(fields.templateBn),
  templateEn: keptUnlessGiven(fields.templateEn),
  attributeCodes: keptUnlessGiven(z.array(z.string()).max(30)),
});

const refused = (errors: UserError[]): CertificateTypePayload =>
  refusedPayload('certificateType', errors);

function textProblems(t: {
  templateBn: string;
  templateEn: string;
  attributeCodes: readonly string[];
}): UserError[] {
  return templateProblems(t.templateBn, t.templateEn, t.attributeCodes).map((p) =>
    userError(UserErrorCode.INVALID, p.field, p.message),
  );
}

/**
 * Certificate types kept by administrators: created, changed (each change a new version:
 * certificates already issued keep their text) and retired. Demo and deployment seeding use
 * the same checks through `createInMunicipality`.
 */
@Injectable()
export class CertificateTypesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  create(actor: Actor, input: CreateCertificateTypeInput): Promise<CertificateTypePayload> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.CATALOGUE_MANAGE,
      'Certificate type',
    );
    return this.createInMunicipality(actor.municipalityId, input, auditActorOf(actor));
  }

  /** Trusted path (demo data, seeding): no caller to check, the same rules for the content. */
  async createInMunicipality(
    municipalityId: string,
    input: CreateCertificateTypeInput,
    by: AuditActorRef,
  ): Promise<CertificateTypePayload> {
    const checked = validateInput(createSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const value = {
      ...checked.value,
      validityDays: checked.value.validityDays ?? null,
      feeRupees: checked.value.feeRupees ?? 0,
      attributeCodes: checked.value.attributeCodes ?? [],
    };
    const problems = textProblems(value);
    if (problems.length > 0) return refused(problems);
    return this.writing(async (manager) => {
      const type = await manager.save(
        manager.create(CertificateType, { ...value, municipalityId }),
      );
      await this.record(manager, by, 'certificate_type.created', type, {
        code: type.code,
        ...Object.fromEntries(AUDITED.map((f) => [f, type[f]])),
      });
      return type;
    });
  }

  async update(actor: Actor, input: UpdateCertificateTypeInput): Promise<CertificateTypePayload> {
    const checked = validateInput(updateSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { id, version, ...changes } = checked.value;
    return this.writing(async (manager) => {
      const before = await lockRow(manager, CertificateType, id, 'Certificate type');
      assertAccess(actor, before, Permission.CATALOGUE_MANAGE, 'Certificate type');
      const given = Object.fromEntries(
        Object.entries(changes).filter(([, v]) => v !== undefined),
      ) as Partial<CertificateType>;
      const problems = textProblems({ ...before, ...given });
      if (problems.length > 0) throw new Refusal(problems);
      await updateAtVersion(manager, CertificateType, id, version, given, 'Certificate type');
      const after = await manager.findOneByOrFail(CertificateType, { id });
      const changed = Object.fromEntries(
        AUDITED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => [
          f,
          { from: before[f], to: after[f] },
        ]),
      );
      await this.record(manager, auditActorOf(actor), 'certificate_type.updated', after, {
        version: { from: before.version, to: after.version },
        ...changed,
      });
      return after;
    });
  }

  /** Retired types are not issued; certificates already issued stay valid. */
  async retire(actor: Actor, input: RetireCertificateTypeInput): Promise<CertificateTypePayload> {
    return this.writing(async (manager) => {
      const id = assertUuid(input.id, 'input.id');
      const before = await lockRow(manager, CertificateType, id, 'Certificate type');
      assertAccess(actor, before, Permission.CATALOGUE_MANAGE, 'Certificate type');
      if (!before.active) return before;
      await updateAtVersion(
        manager,
        CertificateType,
        before.id,
        input.version,
        { active: false, retiredAt: new Date() },
        'Certificate type',
      );
      const after = await manager.findOneByOrFail(CertificateType, { id: before.id });
      await this.record(manager, auditActorOf(actor), 'certificate_type.retired', after, {
        active: { from: true, to: false },
      });
      return after;
    });
  }

  private record(
    manager: EntityManager,
    by: AuditActorRef,
    action: string,
    type: CertificateType,
    changes: Record<string, unknown>,
  ) {
    return this.audit.record(manager, by, {
      action,
      entityType: 'CertificateType',
      entityId: type.id,
      municipalityId: type.municipalityId,
      changes,
    });
  }

  private writing(
    work: (manager: EntityManager) => Promise<CertificateType>,
  ): Promise<CertificateTypePayload> {
    return refusable(
      'certificateType',
      () => this.dataSource.transaction(work),
      (error) =>
        violatedUniqueConstraint(error) === 'uq_certificate_types_code'
          ? [userError(UserErrorCode.DUPLICATE, 'code', 'another certificate type has this code')]
          : null,
    );
  }
}
