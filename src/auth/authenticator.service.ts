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

  private async fromAccessToken(token: string, requestId: string): Promise<Authentication> {
    const check = await this.accessTokens.verify(token);
    if (!check.ok) return { actor: null, problem: check.problem };
    // Session and account are read on every request, so sign-out, deactivation and
    // password resets take effect at once rather than when the token expires.
    const [row] = await this.dataSource.query(
      `SELECT a.id, a.username, a.display_name, a.municipality_id,
              coalesce(json_agg(json_build_object('role', g.role, 'wardId', g.ward_id))
                       FILTER (WHERE g.id IS NOT NULL), '[]') AS grants
       FROM auth_sessions s
       JOIN staff_accounts a ON a.id = s.account_id
       LEFT JOIN staff_role_grants g ON g.account_id = a.id
       WHERE s.id = $1 AND a.id = $2 AND a.active AND s.revoked_at IS NULL AND s.expires_at > now()
       GROUP BY a.id`,
      [check.claims.sessionId, check.claims.accountId],
    );
    if (!row) return { actor: null, problem: 'REVOKED' };
    return {
      actor: {
        type: 'STAFF',
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        municipalityId: row.municipality_id,
        sessionId: check.claims.sessionId,
        grants: row.grants as RoleGrant[],
        requestId,
      },
    };
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
