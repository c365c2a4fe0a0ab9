// Over 400 lines on purpose: issuance, reissue and revocation share the holder and content
// assembly, numbering and signing in one transaction; the PDF, signing keys and verification page
// are their own files.
import { toAsciiDigits, toBengaliDigits } from '../common/text/digits';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { AuditActorType } from '../audit/entities/audit-entry.entity';
import { assertAccess, ForbiddenError, readableWards } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { pageByNewest } from '../common/pagination/timestamp-page';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service';
import { requiredText, todayInIndia } from '../common/validation/fields';
import { validateInput } from '../common/validation/validate-input';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { CertificateEventType } from '../domain-events/event-map';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { RequestAction, RequestStatus } from '../requests/entities/request-enums';
import {
  AttributeDatatype,
  ServiceCategory,
  ServiceDefinition,
} from '../requests/entities/service-definition';
import type { ServiceRequest } from '../requests/entities/service-request.entity';
import { Refusal, refusable } from '../common/errors/refusal';
import { RequestWorkflowService, staleRequest } from '../requests/request-workflow.service';
import { RequestsService } from '../requests/requests.service';
import { ServiceCatalogueService } from '../requests/catalogue/service-catalogue.service';
import type { Resident } from '../residents/entities/resident.entity';
import { ResidentsService } from '../residents/residents.service';
import { StaffAccountsService } from '../auth/staff-accounts.service';
import { MunicipalitiesService } from '../wards/municipalities.service';
import { WardsService } from '../wards/wards.service';
import {
  canonicalPayload,
  certificateNumber,
  fillTemplate,
  formatDateBn,
  formatDateEn,
  hasBengaliLetters,
  maskName,
  newVerificationCode,
  normalizeCertificateNumber,
  normalizeVerificationCode,
  printedFinancialYear,
} from './certificate-content';
import { CertificateSigningService } from './certificate-signing.service';
import { CertificateVerification, PublicCertificateStatus } from './dto/certificate.dto';
import { Certificate, CertificateStatus } from './entities/certificate.entity';
import { CertificateType } from './entities/certificate-type.entity';
import { normalizeTrackingNumber } from '../requests/workflow/tracking-number';
import { ExportQuery } from '../common/sql/export-query';
import { CERTIFICATES_EXPORT } from './certificates-export.query';
import { findOnePlain } from '../database/plain-find';

/** The designation printed under a signer's name, by the type's signer role. */
const SIGNER_DESIGNATION: Record<string, { bn: string; en: string }> = {
  SIGNATORY: { bn: 'নির্বাহী আধিকারিক', en: 'Executive Officer' },
  WARD_COORDINATOR: { bn: 'ওয়ার্ড সমন্বয়কারী', en: 'Ward Coordinator' },
};

const GUARDIAN = {
  FATHER: { bn: 'পিতা', en: 'father' },
  HUSBAND: { bn: 'স্বামী', en: 'husband' },
  MOTHER: { bn: 'মাতা', en: 'mother' },
} as const;

export type CertificatePayload = { certificate: Certificate | null; errors: UserError[] };

/** Issuance, correction, revocation, staff lists and public verification of certificates. */
@Injectable()
export class CertificatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly signing: CertificateSigningService,
    private readonly requests: RequestsService,
    private readonly workflow: RequestWorkflowService,
    private readonly catalogue: ServiceCatalogueService,
    private readonly residents: ResidentsService,
    private readonly wards: WardsService,
    private readonly municipalities: MunicipalitiesService,
    private readonly audit: AuditService,
    private readonly events: DomainEventsService,
    private readonly rateLimiter: RateLimiterService,
    private readonly staffAccounts: StaffAccountsService,
  ) {}

  /** The query of the CSV export of this module's table (integration/exports streams it). */
  exportQuery(): ExportQuery {
    return CERTIFICATES_EXPORT;
  }

  /**
   * Issues the certificate an APPROVED request asked for, signed by a holder of the type's
   * signer role, and moves the request on to READY — all in one transaction.
   */
  async issue(
    actor: Actor,
    input: { requestId: string; version: number },
  ): Promise<CertificatePayload> {
    return this.refusable(async (manager) => {
      const request = await this.requests.lock(manager, input.requestId);
      assertAccess(actor, request, Permission.CERTIFICATES_ISSUE, 'Request');
      if (request.version !== input.version) throw staleRequest(request);
      if (request.category !== ServiceCategory.CERTIFICATE) {
        throw new Refusal([
          userError(UserErrorCode.INVALID, 'requestId', 'the request is not for a certificate'),
        ]);
      }
      if (request.status !== RequestStatus.APPROVED) {
        throw new Refusal([
          userError(
            UserErrorCode.INVALID_TRANSITION,
            'requestId',
            `a certificate is issued for an APPROVED request (this one is ${request.status})`,
          ),
        ]);
      }
      const definition = await this.catalogue.definitionAt(
        request.serviceTypeId,
        request.definitionVersion,
        manager,
      );
      const type = await this.typeFor(manager, request.municipalityId, definition);
      this.assertSigner(actor, type, request.wardId);
      const certificate = await this.create(manager, actor, request, type, definition, null);
      await this.workflow.apply(
        manager,
        this.issuingActor(actor),
        request,
        RequestAction.MARK_READY,
        null,
      );
      return certificate;
    });
  }

  /** A correction: a new certificate from the holder's record as it is now, superseding the old. */
  async reissue(
    actor: Actor,
    input: { certificateId: string; reason: string },
  ): Promise<CertificatePayload> {
    const checked = validateInput(z.object({ reason: requiredText(1000) }), {
      reason: input.reason,
    });
    if (!checked.ok) return { certificate: null, errors: checked.errors };
    return this.refusable(async (manager) => {
      const old = await this.lockIssued(manager, actor, input.certificateId);
      const request = await this.requests.lock(manager, old.requestId);
      const definition = await this.catalogue.definitionAt(
        request.serviceTypeId,
        request.definitionVersion,
        manager,
      );
      const type = await this.typeFor(manager, request.municipalityId, definition);
      this.assertSigner(actor, type, old.wardId);
      const replacement = await this.create(manager, actor, request, type, definition, old);
      await manager.update(
        Certificate,
        { id: old.id },
        { status: CertificateStatus.SUPERSEDED, supersededById: replacement.id },
      );
      await this.record(manager, auditActorOf(actor), 'certificate.superseded', old, {
        supersededBy: replacement.number,
        reason: checked.value.reason,
      });
      return replacement;
    });
  }

  async revoke(
    actor: Actor,
    input: { certificateId: string; reason: string },
  ): Promise<CertificatePayload> {
    const checked = validateInput(z.object({ reason: requiredText(1000) }), {
      reason: input.reason,
    });
    if (!checked.ok) return { certificate: null, errors: checked.errors };
    return this.refusable(async (manager) => {
      const certificate = await this.lockIssued(manager, actor, input.certificateId);
      // Undoing a signature needs the role that signed, as issuing and reissuing do: the
      // permission alone let an API client or a coordinator revoke a signatory's certificate.
      this.assertSigner(
        actor,
        { code: certificate.typeCode, signerRole: certificate.signerRole },
        certificate.wardId,
      );
      await manager.update(
        Certificate,
        { id: certificate.id },
        {
          status: CertificateStatus.REVOKED,
          revokedAt: new Date(),
          revokeReason: checked.value.reason,
        },
      );
      const revoked = await manager.findOneByOrFail(Certificate, { id: certificate.id });
      await this.record(manager, auditActorOf(actor), 'certificate.revoked', revoked, {
        reason: checked.value.reason,
      });
      return revoked;
    });
  }

  async getVisible(actor: Actor, id: string): Promise<Certificate> {
    const certificate = await this.dataSource
      .getRepository(Certificate)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!certificate) throw new NotFoundError('Certificate');
    assertAccess(actor, certificate, Permission.CERTIFICATES_READ, 'Certificate');
    return certificate;
  }

  async list(
    actor: Actor,
    filter: {
      wardIds?: string[] | null;
      typeCodes?: string[] | null;
      statuses?: CertificateStatus[] | null;
      search?: string | null;
      trackingNumber?: string | null;
    } | null,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Certificate>> {
    const wards = readableWards(actor, Permission.CERTIFICATES_READ);
    const query = this.dataSource
      .getRepository(Certificate)
      .createQueryBuilder('c')
      .where('c.municipality_id = :m', { m: actor.municipalityId });
    if (wards !== 'ALL') query.andWhere('c.ward_id = ANY(:wards)', { wards });
    if (filter?.wardIds)
      query.andWhere('c.ward_id = ANY(:wanted)', {
        wanted: filter.wardIds.map((w) => assertUuid(w, 'filter.wardIds')),
      });
    if (filter?.typeCodes)
      query.andWhere('c.type_code = ANY(:types)', {
        types: filter.typeCodes.map((t) => t.toUpperCase()),
      });
    if (filter?.statuses)
      query.andWhere('c.status = ANY(:statuses)', { statuses: filter.statuses });
    // A request's certificates, by the number the resident and the coordinator know it by.
    const ofRequest = `c.request_id IN (SELECT r.id FROM service_requests r
      WHERE r.municipality_id = :m AND r.tracking_number = :tracking)`;
    if (filter?.trackingNumber?.trim()) {
      query.andWhere(ofRequest, { tracking: normalizeTrackingNumber(filter.trackingNumber) });
    }
    const search = filter?.search?.trim();
    if (search) {
      query.andWhere(
        `(c.number = :number OR c.holder->>'name' ILIKE :name OR ${ofRequest.replace(':tracking', ':searchTracking')})`,
        {
          number: normalizeCertificateNumber(search),
          name: `%${search.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`,
          searchTracking: normalizeTrackingNumber(search),
        },
      );
    }
    return pageByNewest(query, 'c', 'issued_at', first, after);
  }

  listTypes(actor: Actor): Promise<CertificateType[]> {
    return this.dataSource.getRepository(CertificateType).find({
      where: { municipalityId: actor.municipalityId },
      order: { code: 'ASC' },
    });
  }

  /**
   * Test and bench fixtures: a municipality's certificate types, unchecked. Demo data goes
   * through CertificateTypesService like administrators do.
   */
  async createTypes(
    municipalityId: string,
    types: Array<
      Pick<
        CertificateType,
        'code' | 'nameBn' | 'nameEn' | 'signerRole' | 'templateBn' | 'templateEn'
      > & {
        validityDays?: number | null;
        attributeCodes?: string[] | null;
        feeRupees?: number | null;
      }
    >,
  ) {
    await this.dataSource
      .getRepository(CertificateType)
      .createQueryBuilder()
      .insert()
      .values(
        types.map((t) => ({
          ...t,
          attributeCodes: t.attributeCodes ?? [],
          feeRupees: t.feeRupees ?? 0,
          municipalityId,
        })),
      )
      .orIgnore()
      .execute();
  }

  /**
   * Public verification. A wrong code answers exactly like an unknown number (same shape,
   * same work), and each client address gets `VERIFY_RATE_PER_MINUTE` tries a minute.
   */
  async verify(
    number: string,
    code: string,
    clientAddress: string,
  ): Promise<CertificateVerification> {
    await this.rateLimiter.hit(
      `verify:${clientAddress}`,
      this.config.certificates.verifyPerMinute,
      60,
    );
    const wanted = normalizeCertificateNumber(number ?? '').slice(0, 40);
    // Only what a number can hold reaches the database (a NUL byte there is an error).
    const found = /^[A-Z0-9/-]+$/.test(wanted)
      ? await findOnePlain(this.dataSource.manager, Certificate, { number: wanted })
      : null;
    const given = Buffer.from(
      normalizeVerificationCode(code ?? '')
        .padEnd(12)
        .slice(0, 12),
    );
    const expected = Buffer.from(
      (found?.verificationCode ?? 'NO-SUCH-CODE').padEnd(12).slice(0, 12),
    );
    if (!found || !timingSafeEqual(given, expected))
      return { status: PublicCertificateStatus.UNKNOWN };
    const municipality = await this.municipalities.findById(found.municipalityId);
    const ward = await this.wards.findInMunicipality(found.municipalityId, found.wardId);
    const superseding = found.supersededById
      ? await findOnePlain(this.dataSource.manager, Certificate, { id: found.supersededById })
      : null;
    // The municipality read above also gives the payload its code (one read, not two).
    const signedPayload = await this.payloadOf(found, municipality);
    const signatureValid = await this.signing.verify(found.keyId, signedPayload, found.signature);
    const content = found.content as { typeNameBn?: string; typeNameEn?: string };
    return {
      status: this.publicStatus(found),
      number: found.number,
      typeCode: found.typeCode,
      typeNameBn: content.typeNameBn ?? null,
      typeNameEn: content.typeNameEn ?? null,
      issuedAt: found.issuedAt,
      validUntil: found.validUntil,
      municipalityNameBn: municipality?.nameBn ?? null,
      municipalityNameEn: municipality?.nameEn ?? null,
      wardNumber: ward?.number ?? null,
      holderNameMasked: maskName(String(found.holder.name ?? '')),
      signatureValid,
      keyId: found.keyId,
      supersededByNumber: superseding?.number ?? null,
      revokedAt: found.revokedAt,
      signedPayload,
      signature: found.signature,
    };
  }

  /**
   * The signed serialisation of a stored certificate (for checks and the QR code). A caller
   * that has just read the certificate's municipality passes it (null: there is none).
   */
  async payloadOf(
    certificate: Certificate,
    known?: { id: string; code: string } | null,
  ): Promise<string> {
    const municipality =
      known === undefined || (known && known.id !== certificate.municipalityId)
        ? await this.municipalities.findById(certificate.municipalityId)
        : known;
    const supersedes = certificate.supersedesId
      ? await findOnePlain(this.dataSource.manager, Certificate, { id: certificate.supersedesId })
      : null;
    return canonicalPayload({
      ...certificate,
      municipalityCode: municipality?.code ?? '',
      supersedesNumber: supersedes?.number ?? null,
    });
  }

  publicStatus(certificate: Certificate): PublicCertificateStatus {
    if (certificate.status === CertificateStatus.REVOKED) return PublicCertificateStatus.REVOKED;
    if (certificate.status === CertificateStatus.SUPERSEDED)
      return PublicCertificateStatus.SUPERSEDED;
    const today = todayInIndia();
    if (certificate.validUntil && certificate.validUntil < today)
      return PublicCertificateStatus.EXPIRED;
    return PublicCertificateStatus.VALID;
  }

  private async create(
    manager: EntityManager,
    actor: Actor,
    request: ServiceRequest,
    type: CertificateType,
    definition: ServiceDefinition | null,
    supersedes: Certificate | null,
  ): Promise<Certificate> {
    const resident = await this.residents.findInMunicipality(
      request.municipalityId,
      request.residentId,
      manager,
    );
    const ward = await this.wards.findInMunicipality(
      request.municipalityId,
      request.wardId,
      manager,
    );
    const municipality = await this.municipalities.findById(request.municipalityId, manager);
    if (!resident || !ward || !municipality) throw new NotFoundError('Request');
    if (resident.erasedAt) {
      throw new Refusal([
        userError(UserErrorCode.INVALID, 'requestId', 'the holder’s personal data was erased'),
      ]);
    }
    const holder = this.holderOf(resident, ward, municipality);
    const content = this.contentOf(type, request, definition, holder);
    const issuedAt = new Date();
    const year = printedFinancialYear(issuedAt);
    const [{ last_number: serial }] = (await manager.query(
      `INSERT INTO certificate_counters (municipality_id, type_code, financial_year, last_number)
       VALUES ($1, $2, $3, 1)
       ON CONFLICT (municipality_id, type_code, financial_year)
         DO UPDATE SET last_number = certificate_counters.last_number + 1
       RETURNING last_number`,
      [request.municipalityId, type.code, year],
    )) as Array<{ last_number: number }>;
    const signer = this.signing.signer();
    const draft = {
      municipalityId: request.municipalityId,
      wardId: request.wardId,
      requestId: request.id,
      typeCode: type.code,
      number: certificateNumber(municipality.code, type.code, year, serial),
      verificationCode: newVerificationCode(),
      holder,
      content: {
        ...content,
        // Who signs, as printed: the account's display name and the role's designation.
        signerDesignationBn: `${SIGNER_DESIGNATION[type.signerRole]?.bn ?? type.signerRole}, ${municipality.nameBn}`,
        signerDesignationEn: `${SIGNER_DESIGNATION[type.signerRole]?.en ?? type.signerRole}, ${municipality.nameEn}`,
      },
      issuedAt,
      validUntil: type.validityDays ? this.dayAfter(issuedAt, type.validityDays) : null,
      signerId: actor.type === 'STAFF' ? actor.id : null,
      signerName:
        actor.type === 'STAFF'
          ? ((await this.staffAccounts.displayNameOf(actor.id, manager)) ?? actor.username)
          : actor.name,
      signerRole: type.signerRole,
      keyId: signer.keyId,
      supersedesId: supersedes?.id ?? null,
    };
    const signature = signer.sign(
      canonicalPayload({
        ...draft,
        municipalityCode: municipality.code,
        supersedesNumber: supersedes?.number ?? null,
      }),
    );
    const certificate = await manager.save(manager.create(Certificate, { ...draft, signature }));
    await this.record(manager, auditActorOf(actor), 'certificate.issued', certificate, {
      number: certificate.number,
      requestId: request.id,
      supersedes: supersedes?.number ?? null,
    });
    return certificate;
  }

  private holderOf(
    resident: Resident,
    ward: { number: number; nameBn: string; nameEn: string },
    municipality: { nameBn: string; nameEn: string; code: string; district: string; state: string },
  ) {
    const latin = (...candidates: Array<string | null | undefined>) =>
      candidates.find((c) => c && !hasBengaliLetters(c)) ?? null;
    const addressParts = [
      resident.houseNumber,
      resident.street,
      resident.locality,
      resident.postOffice,
      resident.pinCode,
    ].filter(Boolean);
    return {
      name: resident.fullName,
      // The English text's forms: Latin letters, as staff or the resident entered them.
      nameEn: latin(resident.fullName, resident.altName),
      guardianNameEn: latin(resident.guardianName, resident.guardianNameEn),
      addressEn: addressParts.length
        ? latin(toAsciiDigits(addressParts.join(', ')), resident.addressEn)
        : (resident.addressEn ?? null),
      guardianName: resident.guardianName,
      guardianRelation: resident.guardianRelation,
      address: {
        houseNumber: resident.houseNumber,
        locality: resident.locality,
        street: resident.street,
        postOffice: resident.postOffice,
        pinCode: resident.pinCode,
      },
      wardNumber: ward.number,
      wardNameBn: ward.nameBn,
      wardNameEn: ward.nameEn,
      municipalityNameBn: municipality.nameBn,
      municipalityNameEn: municipality.nameEn,
      municipalityDistrict: municipality.district,
      municipalityState: municipality.state,
    };
  }

  private contentOf(
    type: CertificateType,
    request: ServiceRequest,
    definition: ServiceDefinition | null,
    holder: ReturnType<CertificatesService['holderOf']>,
  ) {
    this.assertLatinForms(type, holder);
    const values = (lang: 'bn' | 'en'): Record<string, string> => {
      const relation = holder.guardianRelation ? GUARDIAN[holder.guardianRelation][lang] : '';
      const digits = lang === 'bn' ? toBengaliDigits : toAsciiDigits;
      const address = [
        holder.address.houseNumber,
        holder.address.street,
        holder.address.locality,
        holder.address.postOffice,
        holder.address.pinCode,
      ]
        .filter(Boolean)
        .join(', ');
      const attributes = Object.fromEntries(
        (definition?.attributes ?? []).map((a) => {
          const raw = request.attributes[a.code];
          const choice = a.choices?.find((c) => c.code === raw);
          const date = a.datatype === AttributeDatatype.DATE && typeof raw === 'string';
          return [
            a.code,
            raw === undefined
              ? '—'
              : choice
                ? lang === 'bn'
                  ? choice.labelBn
                  : choice.labelEn
                : date
                  ? (lang === 'bn' ? formatDateBn : formatDateEn)(raw)
                  : typeof raw === 'number'
                    ? digits(raw.toLocaleString('en-IN')) // 1,25,000: lakhs, as India writes
                    : digits(String(raw)),
          ];
        }),
      );
      return {
        ...attributes,
        holderName: (lang === 'bn' ? holder.name : holder.nameEn) ?? '—',
        guardianName: (lang === 'bn' ? holder.guardianName : holder.guardianNameEn) ?? '—',
        guardianRelation: relation || '—',
        address: (lang === 'bn' ? digits(address) : holder.addressEn) || '—',
        wardNumber: digits(String(holder.wardNumber)),
        wardName: lang === 'bn' ? holder.wardNameBn : holder.wardNameEn,
        municipalityName: lang === 'bn' ? holder.municipalityNameBn : holder.municipalityNameEn,
        trackingNumber: request.trackingNumber,
      };
    };
    return {
      typeNameBn: type.nameBn,
      typeNameEn: type.nameEn,
      textBn: toBengaliDigits(fillTemplate(type.templateBn, values('bn'))),
      textEn: fillTemplate(type.templateEn, values('en')),
      trackingNumber: request.trackingNumber,
      attributes: request.attributes,
    };
  }

  /**
   * The English text prints the holder's name, guardian and address in Latin letters; a
   * certificate is not issued while one its English template uses exists only in Bengali.
   */
  private assertLatinForms(
    type: CertificateType,
    holder: ReturnType<CertificatesService['holderOf']>,
  ): void {
    const uses = (name: string) => new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`).test(type.templateEn);
    const missing: UserError[] = [];
    if (uses('holderName') && !holder.nameEn)
      missing.push(
        userError(
          UserErrorCode.INVALID,
          'requestId',
          'the holder’s name in Latin letters is needed for the English text: set the resident’s altName',
        ),
      );
    if (uses('guardianName') && holder.guardianName && !holder.guardianNameEn)
      missing.push(
        userError(
          UserErrorCode.INVALID,
          'requestId',
          'the guardian’s name in Latin letters is needed for the English text: set the resident’s guardianNameEn',
        ),
      );
    if (uses('address') && !holder.addressEn && Object.values(holder.address).some(Boolean))
      missing.push(
        userError(
          UserErrorCode.INVALID,
          'requestId',
          'the address in Latin letters is needed for the English text: set the resident’s addressEn',
        ),
      );
    if (missing.length) throw new Refusal(missing);
  }

  private dayAfter(from: Date, days: number): string {
    const local = new Date(from.getTime() + (5 * 60 + 30) * 60_000 + days * 86_400_000);
    return local.toISOString().slice(0, 10);
  }

  private async typeFor(
    manager: EntityManager,
    municipalityId: string,
    definition: ServiceDefinition | null,
  ) {
    const code = definition?.certificateTypeCode;
    const type = code
      ? await manager.findOneBy(CertificateType, { municipalityId, code, active: true })
      : null;
    if (!type) {
      throw new Refusal([
        userError(
          UserErrorCode.INVALID,
          'requestId',
          `no active certificate type ${code ?? ''} is set up`,
        ),
      ]);
    }
    return type;
  }

  /** Only a holder of the type's signer role (for the ward, or municipality-wide) signs. */
  private assertSigner(
    actor: Actor,
    type: Pick<CertificateType, 'code' | 'signerRole'>,
    wardId: string,
  ): void {
    const allowed =
      actor.type === 'STAFF' &&
      actor.grants.some(
        (g) => g.role === type.signerRole && (g.wardId === null || g.wardId === wardId),
      );
    if (!allowed)
      throw new ForbiddenError(
        `Certificates of type ${type.code} are signed by a ${type.signerRole}`,
      );
  }

  private async lockIssued(manager: EntityManager, actor: Actor, id: string): Promise<Certificate> {
    const certificate = await manager
      .createQueryBuilder(Certificate, 'c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id: assertUuid(id, 'certificateId') })
      .getOne();
    if (!certificate) throw new NotFoundError('Certificate');
    assertAccess(actor, certificate, Permission.CERTIFICATES_ISSUE, 'Certificate');
    if (certificate.status !== CertificateStatus.ISSUED) {
      throw new Refusal([
        userError(
          UserErrorCode.INVALID_TRANSITION,
          'certificateId',
          `the certificate is ${certificate.status}`,
        ),
      ]);
    }
    return certificate;
  }

  /** The workflow step to READY is Duare's (SYSTEM), on behalf of the signer. */
  private issuingActor(actor: Actor): AuditActorRef {
    const name = actor.type === 'STAFF' ? actor.displayName : actor.name;
    return {
      type: AuditActorType.SYSTEM,
      id: null,
      label: `certificates (${name})`,
      requestId: actor.requestId,
    };
  }

  private async record(
    manager: EntityManager,
    by: AuditActorRef,
    type: CertificateEventType,
    certificate: Certificate,
    changes: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(manager, by, {
      action: type,
      entityType: 'Certificate',
      entityId: certificate.id,
      municipalityId: certificate.municipalityId,
      wardId: certificate.wardId,
      changes,
    });
    await this.events.record(manager, {
      type,
      aggregateType: 'Certificate',
      aggregateId: certificate.id,
      municipalityId: certificate.municipalityId,
      wardId: certificate.wardId,
      payload: {
        certificateId: certificate.id,
        number: certificate.number,
        requestId: certificate.requestId,
        typeCode: certificate.typeCode,
      },
    });
  }

  private refusable(
    work: (manager: EntityManager) => Promise<Certificate>,
  ): Promise<CertificatePayload> {
    return refusable('certificate', () => this.dataSource.transaction(work));
  }
}
