// Over 400 lines on purpose: the registry's writes (create, update, verify, move, erase) and the
// helpline's registration share locking, duplicate detection and audit helpers.
import { EntityRows } from '../common/sql/entity-rows';
import { entityRows, hydrate } from '../database/hydrate';
import { toAsciiDigits } from '../common/text/digits';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { changedFieldNames } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import { AuditActorType } from '../audit/entities/audit-entry.entity';
import { assertAccess, canAccess, readableWards } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { BadUserInputError, ConflictError, NotFoundError } from '../common/errors/app.error';
import { violatedUniqueConstraint } from '../common/errors/database-errors';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { decodeCursor } from '../common/pagination/cursor';
import { pageSize, toConnection } from '../common/pagination/page-window';
import { nameKey } from '../common/text/name-key';
import { normalizeText } from '../common/text/normalize';
import { toE164 } from '../common/text/phone-number';
import { validateInput } from '../common/validation/validate-input';
import { WardsService } from '../wards/wards.service';
import { Changes, lockRow, updateAtVersion } from '../database/row-lock';
import {
  createResidentSchema,
  eraseResidentSchema,
  moveResidentSchema,
  updateResidentSchema,
} from './dto/resident-input.schemas';
import {
  CreateResidentInput,
  EraseResidentInput,
  MoveResidentInput,
  ResidentFilter,
  ResidentRefInput,
  UpdateResidentInput,
} from './dto/resident.inputs';
import { ResidentPayload } from './dto/resident.payloads';
import { IntakeChannel, ResidentLanguage, ResidentVerification } from './entities/resident-enums';
import { ResidentWardMove } from './entities/resident-ward-move.entity';
import { Resident } from './entities/resident.entity';
import {
  addressColumns,
  AUDITED_RESIDENT_FIELDS,
  consentColumns,
  searchKey,
} from './resident-columns';
import { findOnePlain } from '../database/plain-find';
import { searchText } from '../common/text/search-text';

export const ERASED_NAME = '[erased]';

const nameCursor = z.tuple([z.literal('n'), z.string(), z.uuid()]);
const rankCursor = z.tuple([z.literal('r'), z.string().regex(/^\d+(\.\d+)?$/), z.uuid()]);

// Rounded so that the cursor carries exactly the value the next page compares with.
/**
 * Longest name key a search matches with, in Latin letters. The planner prices a trigram
 * index scan by the key's trigrams: past ~80 letters it chooses a sequential scan that
 * computes word similarity on every row, 5–8 s over 100,000 residents for a 100-letter key
 * (issue 21). 48 letters hold any name's words well enough to rank it, in ~10 ms.
 */
export const SEARCH_KEY_MAX_LENGTH = 48;

/** The transliterated key of a search, cut to {@link SEARCH_KEY_MAX_LENGTH}. */
function searchNameKey(search: string): string {
  return nameKey(search).slice(0, SEARCH_KEY_MAX_LENGTH).trim();
}

const SCORE_SQL = `round(greatest(similarity(r.name_key, :key), word_similarity(:key, r.name_key))::numeric, 6)`;

const refused = (
  errors: UserError[],
  duplicateResidentId: string | null = null,
): ResidentPayload => ({
  resident: null,
  duplicateResidentId,
  errors,
});

/** The resident registry of a municipality, ward-scoped for every caller. */
@Injectable()
export class ResidentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly wards: WardsService,
    private readonly events: DomainEventsService,
  ) {}

  /** Residents go only to existing, active wards of the caller's municipality. */
  private async wardProblem(
    actor: Actor,
    wardId: string,
    field: string,
  ): Promise<UserError | null> {
    const ward = await this.wards.findInMunicipality(actor.municipalityId, wardId);
    if (!ward)
      return userError(UserErrorCode.NOT_FOUND, field, 'no such ward in your municipality');
    if (!ward.active) return userError(UserErrorCode.INVALID, field, 'the ward is not active');
    return null;
  }

  /**
   * The resident's columns for another module's plain statement that joins residents
   * (`select(alias, prefix)`), and the entity in its rows (`hydrate(row, prefix)`).
   */
  joinable(): EntityRows<Resident> {
    return entityRows(this.dataSource.manager, Resident);
  }

  /** For other modules' writes, which decide access themselves (e.g. a request's ward). */
  findInMunicipality(
    municipalityId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Resident | null> {
    return findOnePlain(manager, Resident, { id, municipalityId });
  }

  /**
   * The resident writing from this WhatsApp id: found by WhatsApp id, else by the phone
   * number it is (then linked), else registered unverified in the helpline's ward.
   */
  async registerFromWhatsApp(
    manager: EntityManager,
    by: AuditActorRef,
    place: { municipalityId: string; wardId: string; helplinePhoneNumberId: string | null },
    waId: string,
    profileName: string | null,
    language: ResidentLanguage,
  ): Promise<{ resident: Resident; created: boolean }> {
    const { municipalityId, wardId, helplinePhoneNumberId } = place;
    const phone = toE164(`+${waId}`);
    // One look for both: registered by this WhatsApp id, else by the phone number it is.
    const found = await manager
      .createQueryBuilder(Resident, 'r')
      .where('r.municipality_id = :municipalityId', { municipalityId })
      .andWhere(phone ? '(r.whatsapp_id = :waId OR r.phone = :phone)' : 'r.whatsapp_id = :waId', {
        waId,
        phone,
      })
      .orderBy('CASE WHEN r.whatsapp_id = :waId THEN 0 ELSE 1 END')
      .limit(1)
      .getOne();
    if (found?.whatsappId === waId) return { resident: found, created: false };
    if (found) {
      await manager.update(Resident, { id: found.id }, { whatsappId: waId });
      await this.record(manager, by, 'resident.updated', found, { fields: ['whatsappId'] });
      return { resident: { ...found, whatsappId: waId }, created: false };
    }
    const fullName =
      normalizeText(profileName ?? '').slice(0, 200) || `WhatsApp …${waId.slice(-4)}`;
    // A plain statement (every first message to the helpline makes one): the ORM's save cost
    // more CPU than the write.
    const [row] = (await manager.query(
      `INSERT INTO residents (municipality_id, ward_id, full_name, phone, whatsapp_id,
                              helpline_phone_number_id, preferred_language, created_channel, name_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        municipalityId,
        wardId,
        fullName,
        phone,
        waId,
        helplinePhoneNumberId,
        language,
        IntakeChannel.WHATSAPP,
        searchKey(fullName, null),
      ],
    )) as Array<Record<string, unknown>>;
    const resident = hydrate(manager, Resident, row);
    await this.record(manager, by, 'resident.created', resident, {
      channel: IntakeChannel.WHATSAPP,
    });
    return { resident, created: true };
  }

  /**
   * WhatsApp said a resident changed their number (or business-scoped id): the registration
   * follows, and so does the phone when it was the old number and no neighbour holds the new
   * one. Nothing happens when the new id is already someone's.
   */
  async changeWhatsAppId(
    manager: EntityManager,
    municipalityId: string,
    oldId: string,
    newId: string,
  ): Promise<void> {
    const resident = await manager.findOneBy(Resident, { municipalityId, whatsappId: oldId });
    if (!resident) return;
    if (await manager.existsBy(Resident, { municipalityId, whatsappId: newId })) return;
    const oldPhone = /^\d+$/.test(oldId) ? toE164(`+${oldId}`) : null;
    const newPhone = /^\d+$/.test(newId) ? toE164(`+${newId}`) : null;
    const movePhone =
      newPhone !== null &&
      resident.phone === oldPhone &&
      !(await manager.existsBy(Resident, { municipalityId, phone: newPhone }));
    await manager.update(
      Resident,
      { id: resident.id },
      movePhone ? { whatsappId: newId, phone: newPhone } : { whatsappId: newId },
    );
    const by: AuditActorRef = {
      type: AuditActorType.RESIDENT,
      id: resident.id,
      label: 'whatsapp',
      requestId: null,
    };
    await this.record(manager, by, 'resident.updated', resident, {
      fields: movePhone ? ['whatsappId', 'phone'] : ['whatsappId'],
      reason: 'whatsapp_number_changed',
    });
  }

  /** The helpline the resident writes to now: where they hear about their requests. */
  async noteHelpline(manager: EntityManager, resident: Resident, phoneNumberId: string) {
    if (resident.helplinePhoneNumberId === phoneNumberId) return;
    await manager.update(Resident, { id: resident.id }, { helplinePhoneNumberId: phoneNumberId });
    resident.helplinePhoneNumberId = phoneNumberId;
  }

  /** The resident's language, as they chose it on the helpline. */
  async setLanguage(manager: EntityManager, residentId: string, language: ResidentLanguage) {
    await manager.update(Resident, { id: residentId }, { preferredLanguage: language });
  }

  async getVisible(actor: Actor, id: string): Promise<Resident> {
    const resident = await this.dataSource
      .getRepository(Resident)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!resident) throw new NotFoundError('Resident');
    assertAccess(actor, resident, Permission.RESIDENTS_READ, 'Resident');
    return resident;
  }

  /**
   * A condition for other lists (requests): the resident in `residentIdColumn` has this
   * phone number or a name close to `search`. The same matching as the resident search.
   */
  matchCondition(
    residentIdColumn: string,
    municipalityId: string,
    search: string,
    /** Only residents of these wards (those the caller may read); null: the municipality. */
    wardIds: string[] | null,
  ): { sql: string; parameters: Record<string, unknown> } {
    const phone = toE164(search);
    const byName = `name_key % :residentKey OR :residentKey <% name_key`;
    const inWards = wardIds ? 'AND ward_id = ANY(:residentWards) ' : '';
    return {
      sql: `${residentIdColumn} IN (SELECT id FROM residents WHERE municipality_id = :residentMunicipality
        ${inWards}AND (${phone ? 'phone = :residentPhone OR ' : ''}${byName}))`,
      parameters: {
        residentMunicipality: municipalityId,
        residentWards: wardIds,
        residentPhone: phone,
        residentKey: searchNameKey(search),
      },
    };
  }

  /**
   * The resident with this phone, or null: "nobody has this number" is the everyday answer
   * when someone phones for the first time, not an error. A resident of a ward the caller
   * cannot see is null too (no existence leak); one they see without the right is FORBIDDEN.
   */
  async getByPhone(actor: Actor, written: string): Promise<Resident | null> {
    const phone = toE164(written ?? '');
    if (!phone) throw new BadUserInputError('`phone` is not a valid phone number', 'phone');
    const resident = await findOnePlain(this.dataSource.manager, Resident, {
      municipalityId: actor.municipalityId,
      phone,
    });
    if (!resident) return null;
    try {
      assertAccess(actor, resident, Permission.RESIDENTS_READ, 'Resident');
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    return resident;
  }

  /**
   * Residents the caller may read. With `search`, ranked by how close the names are
   * (Bengali or Latin letters, typos tolerated) or matched by holding number; otherwise
   * in name order.
   */
  async list(
    actor: Actor,
    filter: ResidentFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Resident>> {
    const size = pageSize(first);
    const wards = readableWards(actor, Permission.RESIDENTS_READ);
    const query = this.dataSource
      .getRepository(Resident)
      .createQueryBuilder('r')
      .where('r.municipality_id = :municipalityId', { municipalityId: actor.municipalityId });
    if (wards !== 'ALL') query.andWhere('r.ward_id = ANY(:wards)', { wards });
    if (filter?.wardId)
      query.andWhere('r.ward_id = :wardId', { wardId: assertUuid(filter.wardId, 'filter.wardId') });
    if (filter?.verification) query.andWhere('r.verification = :v', { v: filter.verification });
    const search = searchText(filter?.search, 'filter.search');
    if (!search) {
      const totalCount = await query.clone().getCount();
      if (after) {
        const [, name, id] = decodeCursor(after, nameCursor);
        query.andWhere('(r.full_name, r.id) > (:name, :id)', { name, id });
      }
      const rows = await query
        .orderBy('r.full_name')
        .addOrderBy('r.id')
        .limit(size + 1)
        .getMany();
      return toConnection(rows, size, (r) => ['n', r.fullName, r.id], totalCount, Boolean(after));
    }
    const key = searchNameKey(search);
    query
      .andWhere(`(r.name_key % :key OR :key <% r.name_key OR r.house_number = :holding)`, {
        key,
        holding: toAsciiDigits(search),
      })
      .setParameter('key', key);
    const totalCount = await query.clone().getCount();
    query.addSelect(SCORE_SQL, 'score');
    if (after) {
      const [, score, id] = decodeCursor(after, rankCursor);
      query.andWhere(`(${SCORE_SQL} < :score OR (${SCORE_SQL} = :score AND r.id > :afterId))`, {
        score,
        afterId: id,
      });
    }
    const { entities, raw } = await query
      .orderBy('score', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .limit(size + 1)
      .getRawAndEntities();
    const scores = new Map(raw.map((row) => [row.r_id as string, String(row.score)]));
    return toConnection(
      entities,
      size,
      (r) => ['r', scores.get(r.id) ?? '0', r.id],
      totalCount,
      Boolean(after),
    );
  }

  async create(actor: Actor, input: CreateResidentInput): Promise<ResidentPayload> {
    const checked = validateInput(createResidentSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { wardId, address, consent, channel, ...fields } = checked.value;
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId, wardId },
      Permission.RESIDENTS_WRITE,
      'Ward',
    );
    const problem = await this.wardProblem(actor, wardId, 'wardId');
    if (problem) return refused([problem]);
    const createdChannel =
      channel ?? (actor.type === 'API_CLIENT' ? IntakeChannel.API : IntakeChannel.WALK_IN);
    return this.writing(
      actor,
      async (manager) => {
        const resident = await manager.save(
          manager.create(Resident, {
            ...fields,
            municipalityId: actor.municipalityId,
            wardId,
            preferredLanguage: fields.preferredLanguage ?? ResidentLanguage.BN,
            ...addressColumns(address),
            ...consentColumns(consent),
            createdChannel,
            nameKey: searchKey(fields.fullName, fields.altName),
          }),
        );
        await this.record(manager, auditActorOf(actor), 'resident.created', resident, {
          channel: createdChannel,
        });
        return resident;
      },
      { phone: fields.phone },
    );
  }

  async update(actor: Actor, input: UpdateResidentInput): Promise<ResidentPayload> {
    const checked = validateInput(updateResidentSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { id, version, address, consent, ...changes } = checked.value;
    return this.writing(
      actor,
      async (manager) => {
        const before = await this.lockWritable(manager, actor, id);
        const set: Changes<Resident> = Object.fromEntries(
          Object.entries(changes).filter(([, value]) => value !== undefined),
        );
        if (address !== undefined) Object.assign(set, addressColumns(address));
        Object.assign(set, consentColumns(consent));
        const names = { ...before, ...changes };
        set.nameKey = searchKey(names.fullName, names.altName);
        const after = await this.updateAtVersion(manager, id, version, set);
        await this.record(
          manager,
          auditActorOf(actor),
          'resident.updated',
          after,
          changedFieldNames(before, after, AUDITED_RESIDENT_FIELDS),
        );
        return after;
      },
      { phone: changes.phone },
    );
  }

  /** Idempotent. Only staff verify: it records who checked the resident. */
  async verify(actor: Actor, input: ResidentRefInput): Promise<ResidentPayload> {
    const id = assertUuid(input.residentId, 'residentId');
    return this.writing(actor, async (manager) => {
      const before = await this.lockWritable(manager, actor, id);
      if (before.verification === ResidentVerification.VERIFIED) return before;
      const after = await this.updateAtVersion(manager, id, before.version, {
        verification: ResidentVerification.VERIFIED,
        verifiedBy: actor.type === 'STAFF' ? actor.id : null,
        verifiedAt: () => 'now()',
      });
      await this.record(manager, auditActorOf(actor), 'resident.verified', after);
      return after;
    });
  }

  async move(actor: Actor, input: MoveResidentInput): Promise<ResidentPayload> {
    const checked = validateInput(moveResidentSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { residentId, toWardId, reason } = checked.value;
    // Whoever may write the resident may hand them over to another ward of the
    // municipality; the receiving ward sees them from then on.
    // The resident first (NOT_FOUND outside the caller's reach), then the new ward.
    const current = await this.dataSource.getRepository(Resident).findOneBy({ id: residentId });
    if (!current) throw new NotFoundError('Resident');
    assertAccess(actor, current, Permission.RESIDENTS_WRITE, 'Resident');
    const problem = await this.wardProblem(actor, toWardId, 'toWardId');
    if (problem) return refused([problem]);
    return this.writing(actor, async (manager) => {
      const before = await this.lockWritable(manager, actor, residentId);
      if (before.wardId === toWardId) return before;
      const after = await this.updateAtVersion(manager, residentId, before.version, {
        wardId: toWardId,
      });
      await manager.insert(ResidentWardMove, {
        residentId,
        fromWardId: before.wardId,
        toWardId,
        reason: reason ?? null,
      });
      await this.record(manager, auditActorOf(actor), 'resident.moved', after, {
        fromWardId: before.wardId,
        toWardId,
      });
      return after;
    });
  }

  /**
   * DPDP Act erasure: personal fields become a tombstone; the row, its ward, its history
   * of moves and its audit entries (which never held personal values) stay for counts.
   */
  async erase(actor: Actor, input: EraseResidentInput): Promise<ResidentPayload> {
    const checked = validateInput(eraseResidentSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { residentId, reason } = checked.value;
    return this.writing(actor, async (manager) => {
      const before = await this.lock(manager, residentId);
      assertAccess(actor, before, Permission.RESIDENTS_ERASE, 'Resident');
      if (before.erasedAt) return before;
      const after = await this.updateAtVersion(manager, residentId, before.version, {
        fullName: ERASED_NAME,
        altName: null,
        guardianName: null,
        guardianNameEn: null,
        addressEn: null,
        guardianRelation: null,
        phone: null,
        whatsappId: null,
        ...addressColumns(null),
        dateOfBirth: null,
        nameKey: '',
        dedupeKey: null,
        erasedAt: () => 'now()',
      });
      await manager.update(ResidentWardMove, { residentId }, { reason: null });
      await this.record(manager, auditActorOf(actor), 'resident.erased', after, { reason });
      // Other modules keep copies (messages, delivery addresses, chats): they erase theirs
      // in this transaction, so the erasure is whole or not at all.
      await this.events.record(manager, {
        type: 'resident.erased',
        aggregateType: 'Resident',
        aggregateId: residentId,
        municipalityId: before.municipalityId,
        wardId: before.wardId,
        payload: {},
      });
      return after;
    });
  }

  private lock(manager: EntityManager, id: string): Promise<Resident> {
    return lockRow(manager, Resident, id, 'Resident');
  }

  private async lockWritable(manager: EntityManager, actor: Actor, id: string): Promise<Resident> {
    const resident = await this.lock(manager, id);
    assertAccess(actor, resident, Permission.RESIDENTS_WRITE, 'Resident');
    if (resident.erasedAt) throw new ConflictError('The resident’s personal data was erased');
    return resident;
  }

  private updateAtVersion(
    manager: EntityManager,
    id: string,
    version: number,
    changes: Changes<Resident>,
  ): Promise<Resident> {
    return updateAtVersion(manager, Resident, id, version, changes, 'Resident');
  }

  private record(
    manager: EntityManager,
    by: AuditActorRef,
    action: string,
    resident: Resident,
    changes: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.record(manager, by, {
      action,
      entityType: 'Resident',
      entityId: resident.id,
      municipalityId: resident.municipalityId,
      wardId: resident.wardId,
      changes,
    });
  }

  /** Runs a write; a known phone rolls it back and becomes a field error. */
  private async writing(
    actor: Actor,
    work: (manager: EntityManager) => Promise<Resident>,
    tried: { phone?: string | null } = {},
  ): Promise<ResidentPayload> {
    const phoneTried = tried.phone;
    try {
      return {
        resident: await this.dataSource.transaction(work),
        duplicateResidentId: null,
        errors: [],
      };
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'uq_residents_phone') {
        const existing = phoneTried
          ? await this.dataSource
              .getRepository(Resident)
              .findOneBy({ municipalityId: actor.municipalityId, phone: phoneTried })
          : null;
        // The id only for a resident the caller may read: others stay invisible.
        const visible = existing && canAccess(actor, existing, Permission.RESIDENTS_READ);
        return refused(
          [
            userError(
              UserErrorCode.DUPLICATE,
              'phone',
              'a resident with this phone number is already registered',
            ),
          ],
          visible ? existing.id : null,
        );
      }
      throw error;
    }
  }
}
