import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Actor, RoleGrant } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { Authentication } from '../common/graphql/graphql-context';
import { AccessTokens, looksLikeApiKey, parseApiKey, sameHash } from './tokens';
import { sha256Hex } from '../common/crypto/sha256';
import { ACCESS_TOKENS } from './auth.tokens';
import { SpendPlan, SpendRow, SpentBudget } from '../common/rate-limit/rate-limiter.service';

/**
 * A charge to take from the caller's budget together with the sign-in check: the plan of
 * the `spend` for this caller, its parameters numbered from `firstParam`, taken only if
 * `condition` holds (see `RateLimiterService.planSpend`).
 */
export type Charge = (
  caller: { type: Actor['type']; id: string },
  firstParam: number,
  condition: string,
) => SpendPlan;

/** The sign-in check of an operation, and what it was charged (null: nothing). */
export interface ChargedAuthentication {
  authentication: Authentication;
  spent: SpentBudget | null;
}

/** The staff account behind a session, with its grants (the sign-in check). */
const STAFF_ACCOUNT_SQL = `SELECT a.id, a.username, a.display_name, a.municipality_id,
              coalesce(json_agg(json_build_object('role', g.role, 'wardId', g.ward_id))
                       FILTER (WHERE g.id IS NOT NULL), '[]') AS grants
       FROM auth_sessions s
       JOIN staff_accounts a ON a.id = s.account_id
       LEFT JOIN staff_role_grants g ON g.account_id = a.id
       WHERE s.id = $1 AND a.id = $2 AND a.active AND s.revoked_at IS NULL AND s.expires_at > now()
       GROUP BY a.id`;

interface StaffRow {
  id: string;
  username: string;
  display_name: string;
  municipality_id: string;
  grants: RoleGrant[];
}

/** Who is calling: from a staff access token or an API key in `Authorization: Bearer`. */
@Injectable()
export class AuthenticatorService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ACCESS_TOKENS) private readonly accessTokens: AccessTokens,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Authentication> {
    const header = request.headers.authorization;
    if (!header) return { actor: null, problem: 'NO_CREDENTIALS' };
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return { actor: null, problem: 'INVALID' };
    const requestId = String(request.id);
    return looksLikeApiKey(match[1])
      ? this.fromApiKey(match[1], requestId)
      : this.fromAccessToken(match[1], requestId);
  }

  /**
   * `authenticate`, and the operation's charge taken in the same round trip: for a staff
   * token the sign-in check and the `spend` are one statement (the points are only taken
   * when the session is valid); for an API key, the key is checked first, then charged.
   * Throws RATE_LIMITED when a valid caller's budget does not hold the points.
   */
  async authenticateAndCharge(
    request: FastifyRequest,
    charge: Charge,
  ): Promise<ChargedAuthentication> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match || looksLikeApiKey(match[1])) {
      const authentication = await this.authenticate(request);
      if (!authentication.actor) return { authentication, spent: null };
      const plan = charge(authentication.actor, 1, 'true');
      const [row] = (await this.dataSource.query(
        `WITH ${plan.ctes} SELECT ${plan.columns} FROM ${plan.from}`,
        plan.params,
      )) as SpendRow[];
      return { authentication, spent: plan.finish(row) };
    }
    const requestId = String(request.id);
    const check = await this.accessTokens.verify(match[1]);
    if (!check.ok) return { authentication: { actor: null, problem: check.problem }, spent: null };
    const { sessionId, accountId } = check.claims;
    const plan = charge({ type: 'STAFF', id: accountId }, 3, 'EXISTS (SELECT 1 FROM account)');
    let rows: Array<Partial<StaffRow> & SpendRow>;
    try {
      rows = await this.dataSource.query(
        `WITH account AS (${STAFF_ACCOUNT_SQL}), ${plan.ctes}
         SELECT a.*, ${plan.columns} FROM ${plan.from} LEFT JOIN account a ON true`,
        [sessionId, accountId, ...plan.params],
      );
    } catch (error) {
      plan.abandon();
      throw error;
    }
    const row = rows[0];
    if (!row.id) {
      plan.abandon();
      return { authentication: { actor: null, problem: 'REVOKED' }, spent: null };
    }
    const spent = plan.finish(row);
    return {
      authentication: { actor: staffActor(row as StaffRow, sessionId, requestId) },
      spent,
    };
  }

  private async fromAccessToken(token: string, requestId: string): Promise<Authentication> {
    const check = await this.accessTokens.verify(token);
    if (!check.ok) return { actor: null, problem: check.problem };
    // Session and account are read on every request, so sign-out, deactivation and
    // password resets take effect at once rather than when the token expires.
    const [row] = (await this.dataSource.query(STAFF_ACCOUNT_SQL, [
      check.claims.sessionId,
      check.claims.accountId,
    ])) as StaffRow[];
    if (!row) return { actor: null, problem: 'REVOKED' };
    return { actor: staffActor(row, check.claims.sessionId, requestId) };
  }

  private async fromApiKey(key: string, requestId: string): Promise<Authentication> {
    const parsed = parseApiKey(key);
    if (!parsed) return { actor: null, problem: 'INVALID' };
    const [row] = await this.dataSource.query(
      `SELECT c.id, c.name, c.municipality_id, c.scopes, c.secret_hash, c.revoked_at,
              coalesce(array_agg(w.ward_id) FILTER (WHERE w.ward_id IS NOT NULL), '{}') AS ward_ids
       FROM api_clients c LEFT JOIN api_client_wards w ON w.api_client_id = c.id
       WHERE c.id = $1 GROUP BY c.id`,
      [parsed.clientId],
    );
    if (!row || !sameHash(row.secret_hash, sha256Hex(parsed.secret))) {
      return { actor: null, problem: 'INVALID' };
    }
    if (row.revoked_at) return { actor: null, problem: 'REVOKED' };
    // Once a minute is enough to tell an administrator whether a key is in use.
    await this.dataSource.query(
      `UPDATE api_clients SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [row.id],
    );
    const actor: Actor = {
      type: 'API_CLIENT',
      id: row.id,
      name: row.name,
      municipalityId: row.municipality_id,
      scopes: row.scopes as Permission[],
      wardIds: row.ward_ids as string[],
      requestId,
    };
    return { actor };
  }
}

function staffActor(row: StaffRow, sessionId: string, requestId: string): Actor {
  return {
    type: 'STAFF',
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    municipalityId: row.municipality_id,
    sessionId,
    grants: row.grants,
    requestId,
  };
}
