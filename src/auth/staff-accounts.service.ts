// Over 400 lines on purpose: every change made to a staff account (creation, grants,
// (de)activation, passwords) shares one audit, session-ending and refusal path; the lookups other
// modules call are a few lines each.
import { pageByUniqueText } from '../common/pagination/unique-key-page';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { changedFields, createdFields } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import { assertAccess, ForbiddenError } from '../common/access/access-control';
import { Actor, StaffActor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { lockRow, updateAtVersion } from '../database/row-lock';
import { violatedUniqueConstraint } from '../common/errors/database-errors';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { Refusal, refusable, refused as refusedPayload } from '../common/errors/refusal';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { validateInput } from '../common/validation/validate-input';
import { ChangePasswordInput } from './dto/session.dto';
import {
  CreateStaffAccountInput,
  ResetStaffPasswordInput,
  StaffAccountPayload,
  StaffAccountRefInput,
  UpdateStaffAccountInput,
} from './dto/staff-account.dto';
import {
  createStaffAccountSchema,
  RoleGrantValue,
  updateStaffAccountSchema,
} from './dto/staff-account-input.schemas';
import { RoleGrantRow } from './entities/role-grant.entity';
import { StaffAccount } from './entities/staff-account.entity';
import { hashPassword, passwordWeakness, verifyPassword } from './password';
import { SessionService } from './session.service';
import { SignInThrottleService } from './sign-in-throttle.service';

const AUDITED_FIELDS = ['username', 'displayName', 'phone', 'active'] as const;

const UNIQUE_FIELDS: Record<string, { field: string; message: string }> = {
  uq_staff_accounts_username: { field: 'username', message: 'another account has this username' },
  uq_staff_accounts_phone: { field: 'phone', message: 'another account has this phone number' },
};

const refused = (errors: UserError[]): StaffAccountPayload => refusedPayload('account', errors);

/** Which grant named a ward the municipality does not have (composite foreign key). */
function unknownWardGrant(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { constraint?: string }).constraint === 'fk_staff_role_grants_ward'
  );
}

function describeGrants(grants: RoleGrantValue[]): string[] {
  return grants.map((g) => (g.wardId ? `${g.role}@${g.wardId}` : g.role)).sort();
}

/** Staff accounts: what administrators do to them, and what each member does to their own. */
@Injectable()
export class StaffAccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottleService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The name an account shows: printed on the certificates its holder signs, and told to
   * residents (the agent at their door).
   */
  async displayNameOf(accountId: string, manager?: EntityManager): Promise<string | null> {
    const account = await (manager ?? this.dataSource.manager).findOne(StaffAccount, {
      select: { id: true, displayName: true },
      where: { id: accountId },
    });
    return account?.displayName ?? null;
  }

  /**
   * Whether an account can be given a request of a ward: active, of the municipality, and a
   * coordinator of that ward or an administrator — people who can read and work it. Field
   * agents are given deliveries, not requests (they cannot read the ward's requests).
   */
  async worksInWard(
    accountId: string,
    municipalityId: string,
    wardId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM staff_accounts a JOIN staff_role_grants g ON g.account_id = a.id
       WHERE a.id = $1 AND a.municipality_id = $2 AND a.active
         AND (g.role = 'MUNICIPAL_ADMIN'
              OR (g.role = 'WARD_COORDINATOR' AND g.ward_id = $3))
       LIMIT 1`,
      [accountId, municipalityId, wardId],
    );
    return rows.length > 0;
  }

  /** Active administrators of a municipality with a phone to alert. */
  async administratorsToAlert(
    municipalityId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Array<{ id: string; phone: string }>> {
    return manager.query(
      `SELECT DISTINCT a.id, a.phone FROM staff_accounts a
       JOIN staff_role_grants g ON g.account_id = a.id
       WHERE g.role = 'MUNICIPAL_ADMIN' AND a.municipality_id = $1 AND a.active AND a.phone IS NOT NULL
       ORDER BY a.id`,
      [municipalityId],
    );
  }

  /** Whether an account is an active field agent of the ward. */
  async isFieldAgentOf(
    accountId: string,
    wardId: string,
    manager: EntityManager = this.dataSource.manager,
  ) {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM staff_accounts a JOIN staff_role_grants g ON g.account_id = a.id
       WHERE a.id = $1 AND a.active AND g.role = 'FIELD_AGENT' AND g.ward_id = $2 LIMIT 1`,
      [accountId, wardId],
    );
    return rows.length > 0;
  }

  /** Active coordinators of a ward with a phone to alert. */
  async coordinatorsToAlert(
    wardId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Array<{ id: string; phone: string }>> {
    return manager.query(
      `SELECT DISTINCT a.id, a.phone FROM staff_accounts a
       JOIN staff_role_grants g ON g.account_id = a.id
       WHERE g.role = 'WARD_COORDINATOR' AND g.ward_id = $1 AND a.active AND a.phone IS NOT NULL
       ORDER BY a.id`,
      [wardId],
    );
  }

  async getVisible(actor: Actor, id: string): Promise<StaffAccount> {
    const account = await this.dataSource
      .getRepository(StaffAccount)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!account) throw new NotFoundError('Staff account');
    assertAccess(actor, account, Permission.STAFF_MANAGE, 'Staff account');
    return account;
  }

  async list(
    actor: Actor,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<StaffAccount>> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.STAFF_MANAGE,
      'Staff account',
    );
    const query = this.dataSource
      .getRepository(StaffAccount)
      .createQueryBuilder('s')
      .where('s.municipality_id = :municipalityId', { municipalityId: actor.municipalityId });
    return pageByUniqueText(query, 's.username', (s) => s.username, first, after);
  }

  async create(actor: Actor, input: CreateStaffAccountInput): Promise<StaffAccountPayload> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.STAFF_MANAGE,
      'Staff account',
    );
    return this.createInMunicipality(actor.municipalityId, input, auditActorOf(actor));
  }

  /**
   * Trusted path (demo data, the operator's CLI): no caller to check. Given a manager, it
   * writes in that (caller's) transaction.
   */
  async createInMunicipality(
    municipalityId: string,
    input: CreateStaffAccountInput,
    by: AuditActorRef,
    inTransaction?: EntityManager,
  ): Promise<StaffAccountPayload> {
    const checked = validateInput(createStaffAccountSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { password, roles, ...fields } = checked.value;
    const weakness = passwordWeakness(password, [fields.username, fields.phone ?? '']);
    if (weakness) return refused([userError(UserErrorCode.TOO_WEAK, 'password', weakness)]);
    const passwordHash = await hashPassword(password);
    return this.writing(inTransaction, async (manager) => {
      const account = await manager.save(
        manager.create(StaffAccount, { ...fields, passwordHash, municipalityId }),
      );
      await this.replaceGrants(manager, account, roles);
      await this.audit.record(manager, by, {
        action: 'staff_account.created',
        entityType: 'StaffAccount',
        entityId: account.id,
        municipalityId: account.municipalityId,
        changes: { ...createdFields(account, AUDITED_FIELDS), roles: describeGrants(roles) },
      });
      return account;
    });
  }

  async update(actor: Actor, input: UpdateStaffAccountInput): Promise<StaffAccountPayload> {
    const checked = validateInput(updateStaffAccountSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { id, version, roles, ...changes } = checked.value;
    return this.writing(async (manager) => {
      // Read under a row lock, so the audited "from" values are the ones replaced.
      const before = await lockRow(manager, StaffAccount, id, 'Staff account');
      assertAccess(actor, before, Permission.STAFF_MANAGE, 'Staff account');
      const defined = Object.fromEntries(
        Object.entries(changes).filter(([, v]) => v !== undefined),
      );
      await updateAtVersion(manager, StaffAccount, id, version, defined, 'Staff account');
      const oldGrants = await manager.findBy(RoleGrantRow, { accountId: id });
      if (roles) await this.replaceGrants(manager, before, roles);
      const after = await manager.findOneByOrFail(StaffAccount, { id });
      const roleChange = roles
        ? { roles: { from: describeGrants(oldGrants), to: describeGrants(roles) } }
        : {};
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'staff_account.updated',
        entityType: 'StaffAccount',
        entityId: id,
        municipalityId: after.municipalityId,
        changes: { ...changedFields(before, after, AUDITED_FIELDS), ...roleChange },
      });
      return after;
    });
  }

  /** Deactivation ends every session of the account at once. Idempotent. */
  async deactivate(actor: Actor, input: StaffAccountRefInput): Promise<StaffAccountPayload> {
    return this.deactivateAccount(actor, await this.getVisible(actor, input.accountId));
  }

  /** Deactivates an account the caller was already checked to manage. */
  async deactivateAccount(actor: Actor, account: StaffAccount): Promise<StaffAccountPayload> {
    if (actor.type === 'STAFF' && actor.id === account.id) {
      return refused([
        userError(UserErrorCode.INVALID, 'accountId', 'you cannot deactivate your own account'),
      ]);
    }
    return this.setActive(actor, account, false);
  }

  async reactivate(actor: Actor, input: StaffAccountRefInput): Promise<StaffAccountPayload> {
    return this.setActive(actor, await this.getVisible(actor, input.accountId), true);
  }

  /** Switches an account on or off (idempotent); switching off ends all its sessions. */
  private async setActive(
    actor: Actor,
    account: StaffAccount,
    active: boolean,
  ): Promise<StaffAccountPayload> {
    if (account.active === active) return { account, errors: [] };
    return this.dataSource.transaction(async (manager) => {
      await manager.update(
        StaffAccount,
        { id: account.id },
        {
          active,
          deactivatedAt: active ? null : () => 'now()',
          version: () => 'version + 1',
        },
      );
      if (!active) {
        await this.sessions.endAllSessions(manager, account, 'DEACTIVATED', auditActorOf(actor));
      }
      await this.audit.record(manager, auditActorOf(actor), {
        action: active ? 'staff_account.reactivated' : 'staff_account.deactivated',
        entityType: 'StaffAccount',
        entityId: account.id,
        municipalityId: account.municipalityId,
      });
      return {
        account: await manager.findOneByOrFail(StaffAccount, { id: account.id }),
        errors: [],
      };
    });
  }

  async resetPassword(actor: Actor, input: ResetStaffPasswordInput): Promise<StaffAccountPayload> {
    const account = await this.getVisible(actor, input.accountId);
    if (actor.type === 'STAFF' && actor.id === account.id) {
      // Otherwise a stolen access token could set a password without knowing the old one.
      return refused([
        userError(
          UserErrorCode.INVALID,
          'accountId',
          'change your own password with changePassword',
        ),
      ]);
    }
    const weakness = passwordWeakness(input.newPassword, [account.username, account.phone ?? '']);
    if (weakness) return refused([userError(UserErrorCode.TOO_WEAK, 'newPassword', weakness)]);
    return this.setPassword(
      actor,
      account,
      input.newPassword,
      'PASSWORD_RESET',
      'staff_account.password_reset',
    );
  }

  /** The member's own change: the current password proves it; other sessions end. */
  async changeOwnPassword(
    actor: Actor,
    input: ChangePasswordInput,
    address: string,
  ): Promise<StaffAccountPayload> {
    if (actor.type !== 'STAFF') throw new ForbiddenError('Only staff accounts have passwords');
    const account = await this.dataSource
      .getRepository(StaffAccount)
      .findOneByOrFail({ id: actor.id });
    // Throttled like sign-in: a stolen access token must not become a password oracle.
    const currentMatches = await this.throttle.guard(
      { login: `account:${account.id}`, address },
      () => verifyPassword(account.passwordHash, input.currentPassword ?? ''),
    );
    if (!currentMatches) {
      return refused([
        userError(UserErrorCode.INVALID, 'currentPassword', 'is not your current password'),
      ]);
    }
    const weakness =
      input.newPassword === input.currentPassword
        ? 'must differ from the current password'
        : passwordWeakness(input.newPassword ?? '', [account.username, account.phone ?? '']);
    if (weakness) return refused([userError(UserErrorCode.TOO_WEAK, 'newPassword', weakness)]);
    return this.setPassword(
      actor,
      account,
      input.newPassword,
      'PASSWORD_CHANGED',
      'staff_account.password_changed',
    );
  }

  /** Sets a password on an account the caller was already checked to manage. */
  async setPassword(
    actor: Actor,
    account: StaffAccount,
    password: string,
    reason: 'PASSWORD_RESET' | 'PASSWORD_CHANGED',
    action: string,
  ): Promise<StaffAccountPayload> {
    const passwordHash = await hashPassword(password);
    const keep = reason === 'PASSWORD_CHANGED' ? (actor as StaffActor).sessionId : undefined;
    return this.dataSource.transaction(async (manager) => {
      await manager.update(
        StaffAccount,
        { id: account.id },
        {
          passwordHash,
          passwordChangedAt: () => 'now()',
          version: () => 'version + 1',
        },
      );
      await this.sessions.endAllSessions(manager, account, reason, auditActorOf(actor), keep);
      await this.audit.record(manager, auditActorOf(actor), {
        action,
        entityType: 'StaffAccount',
        entityId: account.id,
        municipalityId: account.municipalityId,
      });
      return {
        account: await manager.findOneByOrFail(StaffAccount, { id: account.id }),
        errors: [],
      };
    });
  }

  /** Replaces an account's grants; a grant naming a ward outside the municipality is refused. */
  private async replaceGrants(
    manager: EntityManager,
    account: StaffAccount,
    roles: RoleGrantValue[],
  ): Promise<void> {
    await manager.delete(RoleGrantRow, { accountId: account.id });
    for (const [index, grant] of roles.entries()) {
      try {
        await manager.transaction((inner) =>
          inner.insert(RoleGrantRow, {
            accountId: account.id,
            municipalityId: account.municipalityId,
            role: grant.role,
            wardId: grant.wardId ?? null,
          }),
        );
      } catch (error) {
        if (!unknownWardGrant(error)) throw error;
        throw new Refusal([
          userError(
            UserErrorCode.NOT_FOUND,
            `roles.${index}.wardId`,
            'no such ward in your municipality',
          ),
        ]);
      }
    }
  }

  /** Runs a write; unique violations and refused grants roll it back and become field errors. */
  private writing(
    ...args: [work: AccountWork] | [inTransaction: EntityManager | undefined, work: AccountWork]
  ): Promise<StaffAccountPayload> {
    const [inTransaction, work] = args.length === 1 ? [undefined, args[0]] : args;
    return refusable(
      'account',
      () => (inTransaction ? work(inTransaction) : this.dataSource.transaction(work)),
      (error) => {
        const constraint = violatedUniqueConstraint(error);
        const known = constraint ? UNIQUE_FIELDS[constraint] : undefined;
        return known ? [userError(UserErrorCode.DUPLICATE, known.field, known.message)] : null;
      },
    );
  }
}

type AccountWork = (manager: EntityManager) => Promise<StaffAccount>;
