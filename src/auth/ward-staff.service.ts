import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { auditActorOf } from '../audit/audit-actor';
import { assertAccess, canAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { StaffRole } from '../common/access/staff-role';
import { NotFoundError } from '../common/errors/app.error';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { CreateFieldAgentInput, FieldAgentPayload, WardStaffMember } from './dto/ward-staff.dto';
import { RoleGrantRow } from './entities/role-grant.entity';
import { StaffAccount } from './entities/staff-account.entity';
import { StaffAccountsService } from './staff-accounts.service';

/** Letters and digits nobody confuses when reading them out (no 0/O, 1/l/I). */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A first-sign-in password: 12 random readable characters in groups of four (~59 bits). */
export function firstSignInPassword(): string {
  const chars = Array.from({ length: 12 }, () => READABLE[randomInt(READABLE.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

interface WardStaffRow {
  id: string;
  username: string;
  display_name: string;
  phone: string | null;
  active: boolean;
  role: StaffRole;
}

/**
 * A ward's people as its coordinator sees them, and the field agent accounts a coordinator
 * keeps for their own wards (administrators keep every account with `staffAccounts`).
 */
@Injectable()
export class WardStaffService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: StaffAccountsService,
  ) {}

  async list(actor: Actor, wardId: string, roles: StaffRole[] | null): Promise<WardStaffMember[]> {
    const ward = assertUuid(wardId, 'wardId');
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId, wardId: ward },
      Permission.WARD_STAFF_MANAGE,
      'Ward',
    );
    const wanted = roles?.length ? roles : [StaffRole.WARD_COORDINATOR, StaffRole.FIELD_AGENT];
    // A ward has a handful of people, so the whole list is one short answer, not a page.
    const rows: WardStaffRow[] = await this.dataSource.query(
      `SELECT a.id, a.username, a.display_name, a.phone, a.active, g.role
       FROM staff_role_grants g JOIN staff_accounts a ON a.id = g.account_id
       WHERE g.ward_id = $1 AND g.municipality_id = $2 AND g.role::text = ANY($3)
       ORDER BY g.role, a.active DESC, a.display_name, a.id`,
      [ward, actor.municipalityId, wanted],
    );
    return rows.map((row) =>
      Object.assign(new WardStaffMember(), {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        phone: row.phone,
        active: row.active,
        role: row.role,
      }),
    );
  }

  async createFieldAgent(actor: Actor, input: CreateFieldAgentInput): Promise<FieldAgentPayload> {
    const wardId = assertUuid(input.wardId, 'wardId');
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId, wardId },
      Permission.WARD_STAFF_MANAGE,
      'Ward',
    );
    const password = firstSignInPassword();
    const { account, errors } = await this.accounts.createInMunicipality(
      actor.municipalityId,
      {
        username: input.username,
        displayName: input.displayName,
        phone: input.phone,
        password,
        roles: [{ role: StaffRole.FIELD_AGENT, wardId }],
      },
      auditActorOf(actor),
    );
    // The ward id may name a ward of another municipality only for a caller who reaches
    // every ward; the grant's foreign key then refuses it as `roles.0.wardId`.
    const fixed = errors.map((e) =>
      e.field === 'roles.0.wardId' ? userError(UserErrorCode.NOT_FOUND, 'wardId', e.message) : e,
    );
    return { account, firstSignInPassword: account ? password : null, errors: fixed };
  }

  async deactivateFieldAgent(actor: Actor, accountId: string): Promise<FieldAgentPayload> {
    const agent = await this.agentOfCallersWards(actor, accountId);
    const { account, errors } = await this.accounts.deactivateAccount(actor, agent);
    return { account, firstSignInPassword: null, errors };
  }

  /** A new first-sign-in password; every session of the agent ends. */
  async resetFieldAgentPassword(actor: Actor, accountId: string): Promise<FieldAgentPayload> {
    const agent = await this.agentOfCallersWards(actor, accountId);
    const password = firstSignInPassword();
    const { account, errors } = await this.accounts.setPassword(
      actor,
      agent,
      password,
      'PASSWORD_RESET',
      'staff_account.password_reset',
    );
    return { account, firstSignInPassword: account ? password : null, errors };
  }

  /**
   * An account a coordinator may keep: it holds field agent roles only, all in wards where
   * the caller manages staff. Anything else does not exist for them (NOT_FOUND), so a
   * coordinator can neither see nor touch a colleague's or an administrator's account.
   */
  private async agentOfCallersWards(actor: Actor, accountId: string): Promise<StaffAccount> {
    const id = assertUuid(accountId, 'accountId');
    const account = await this.dataSource.getRepository(StaffAccount).findOneBy({ id });
    if (!account || account.municipalityId !== actor.municipalityId) {
      throw new NotFoundError('Field agent');
    }
    const grants = await this.dataSource.getRepository(RoleGrantRow).findBy({ accountId: id });
    const keepable =
      grants.length > 0 &&
      grants.every(
        (g) =>
          g.role === StaffRole.FIELD_AGENT &&
          g.wardId !== null &&
          canAccess(
            actor,
            { municipalityId: account.municipalityId, wardId: g.wardId },
            Permission.WARD_STAFF_MANAGE,
          ),
      );
    if (!keepable) throw new NotFoundError('Field agent');
    return account;
  }
}
