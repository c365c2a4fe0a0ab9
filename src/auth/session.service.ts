import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { auditActorOf, AuditActorRef, systemActor } from '../audit/audit-actor';
import { AuditActorType } from '../audit/entities/audit-entry.entity';
import { AuditService } from '../audit/audit.service';
import { UnauthenticatedError } from '../common/access/access-control';
import { StaffActor } from '../common/access/actor';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { normalizeText } from '../common/text/normalize';
import { toE164 } from '../common/text/phone-number';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { ACCESS_TOKENS } from './auth.tokens';
import { SessionPayload } from './dto/session.dto';
import { AuthSession } from './entities/auth-session.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { StaffAccount } from './entities/staff-account.entity';
import { verifyPassword } from './password';
import { SignInThrottleService } from './sign-in-throttle.service';
import { AccessTokens, newSecret } from './tokens';
import { sha256Hex } from '../common/crypto/sha256';

const INVALID_CREDENTIALS = 'Invalid login or password';
const DAY_MS = 24 * 3600 * 1000;

export type SessionEndReason =
  | 'SIGNED_OUT'
  | 'SIGNED_OUT_EVERYWHERE'
  | 'REFRESH_TOKEN_REUSED'
  | 'DEACTIVATED'
  | 'PASSWORD_RESET'
  | 'PASSWORD_CHANGED';

export interface ClientInfo {
  address: string;
  userAgent: string | null;
  requestId: string;
}

function staffRef(
  account: Pick<StaffAccount, 'id' | 'username'>,
  requestId: string,
): AuditActorRef {
  return { type: AuditActorType.STAFF, id: account.id, label: account.username, requestId };
}

/** Sign-in, refresh-token rotation with reuse detection, sign-out. */
@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ACCESS_TOKENS) private readonly accessTokens: AccessTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: SignInThrottleService,
    private readonly audit: AuditService,
  ) {}

  async signIn(login: string, password: string, client: ClientInfo): Promise<SessionPayload> {
    const name = normalizeText(login ?? '').toLowerCase();
    if (!name || !password) {
      return refusedSession([
        ...(name ? [] : [userError(UserErrorCode.REQUIRED, 'login', 'must not be blank')]),
        ...(password ? [] : [userError(UserErrorCode.REQUIRED, 'password', 'must not be blank')]),
      ]);
    }
    const phone = /^[+\d\s\-০-৯]+$/.test(name) ? toE164(name) : null;
    const account = await this.dataSource
      .getRepository(StaffAccount)
      .findOneBy(phone ? { phone } : { username: name });
    // Every way of writing the same login counts against the same key.
    const throttleKey = account
      ? `account:${account.id}`
      : phone
        ? `phone:${phone}`
        : `user:${name}`;
    const valid = await this.throttle.guard(
      { login: throttleKey, address: client.address },
      async () => {
        const matches = await verifyPassword(account?.passwordHash ?? null, password);
        return matches && account !== null && account.active;
      },
    );
    if (!valid || !account) {
      await this.recordSignInFailure(account, client);
      throw new UnauthenticatedError(INVALID_CREDENTIALS);
    }
    return this.dataSource.transaction(async (manager) => {
      const session = await manager.save(
        manager.create(AuthSession, {
          accountId: account.id,
          expiresAt: new Date(Date.now() + this.config.auth.sessionMaxDays * DAY_MS),
          userAgent: client.userAgent?.slice(0, 300) ?? null,
        }),
      );
      await manager.update(StaffAccount, { id: account.id }, { lastSignInAt: () => 'now()' });
      await this.audit.record(manager, staffRef(account, client.requestId), {
        action: 'auth.signed_in',
        entityType: 'StaffAccount',
        entityId: account.id,
        municipalityId: account.municipalityId,
        changes: { sessionId: session.id },
      });
      return this.issueTokens(manager, account, session);
    });
  }

  /**
   * Trades a refresh token for new tokens. A token used twice means it leaked: the whole
   * session (every token descended from the same sign-in) ends.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<SessionPayload> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const token = await manager.findOneBy(RefreshToken, {
        tokenHash: sha256Hex(refreshToken ?? ''),
      });
      if (!token) return 'INVALID' as const;
      const session = await manager.findOneByOrFail(AuthSession, { id: token.sessionId });
      const account = await manager.findOneByOrFail(StaffAccount, { id: session.accountId });
      const used = await manager.update(
        RefreshToken,
        { id: token.id, usedAt: IsNull() },
        { usedAt: () => 'now()' },
      );
      if (used.affected !== 1) {
        if (!session.revokedAt) {
          await this.endSessions(manager, account, [session.id], 'REFRESH_TOKEN_REUSED', {
            ...staffRef(account, client.requestId),
          });
        }
        return 'REUSED' as const;
      }
      const live =
        !session.revokedAt &&
        session.expiresAt > new Date() &&
        token.expiresAt > new Date() &&
        account.active;
      if (!live) return 'INVALID' as const;
      await manager.update(AuthSession, { id: session.id }, { lastRefreshedAt: () => 'now()' });
      return this.issueTokens(manager, account, session);
    });
    if (outcome === 'REUSED') {
      throw new UnauthenticatedError(
        'This refresh token was already used; the session has been ended',
      );
    }
    if (outcome === 'INVALID') throw new UnauthenticatedError('The refresh token is not valid');
    return outcome;
  }

  async signOut(actor: StaffActor): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const account = await manager.findOneByOrFail(StaffAccount, { id: actor.id });
      return this.endSessions(
        manager,
        account,
        [actor.sessionId],
        'SIGNED_OUT',
        auditActorOf(actor),
      );
    });
  }

  async signOutEverywhere(actor: StaffActor): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const account = await manager.findOneByOrFail(StaffAccount, { id: actor.id });
      return this.endAllSessions(manager, account, 'SIGNED_OUT_EVERYWHERE', auditActorOf(actor));
    });
  }

  /** Ends every live session of an account, optionally sparing one (the caller's own). */
  async endAllSessions(
    manager: EntityManager,
    account: StaffAccount,
    reason: SessionEndReason,
    by: AuditActorRef,
    except?: string,
  ): Promise<number> {
    const live = await manager.find(AuthSession, {
      select: { id: true },
      where: { accountId: account.id, revokedAt: IsNull() },
    });
    const ids = live.map((s) => s.id).filter((id) => id !== except);
    return this.endSessions(manager, account, ids, reason, by);
  }

  private async endSessions(
    manager: EntityManager,
    account: StaffAccount,
    sessionIds: string[],
    reason: SessionEndReason,
    by: AuditActorRef,
  ): Promise<number> {
    if (sessionIds.length === 0) return 0;
    const result = await manager
      .createQueryBuilder()
      .update(AuthSession)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('id IN (:...ids) AND revoked_at IS NULL', { ids: sessionIds })
      .execute();
    await this.audit.record(manager, by, {
      action: 'auth.sessions_ended',
      entityType: 'StaffAccount',
      entityId: account.id,
      municipalityId: account.municipalityId,
      changes: { reason, sessions: result.affected ?? 0 },
    });
    return result.affected ?? 0;
  }

  private async issueTokens(
    manager: EntityManager,
    account: StaffAccount,
    session: AuthSession,
  ): Promise<SessionPayload> {
    const refreshToken = newSecret();
    const refreshExpiry = Math.min(
      Date.now() + this.config.auth.refreshTokenTtlDays * DAY_MS,
      session.expiresAt.getTime(),
    );
    await manager.insert(RefreshToken, {
      sessionId: session.id,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(refreshExpiry),
    });
    const access = await this.accessTokens.sign({ accountId: account.id, sessionId: session.id });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: new Date(refreshExpiry),
      account: await manager.findOneByOrFail(StaffAccount, { id: account.id }),
      errors: [],
    };
  }

  /**
   * Written for unknown names too (with no account, visible to no municipality), so that a
   * failure takes as long whether or not the account exists. The name tried is not kept.
   */
  private async recordSignInFailure(
    account: StaffAccount | null,
    client: ClientInfo,
  ): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.audit.record(
        manager,
        account
          ? staffRef(account, client.requestId)
          : systemActor(client.requestId, 'unknown login'),
        {
          action: 'auth.sign_in_failed',
          entityType: 'StaffAccount',
          entityId: account?.id ?? null,
          municipalityId: account?.municipalityId ?? null,
        },
      ),
    );
  }
}

function refusedSession(errors: SessionPayload['errors']): SessionPayload {
  return {
    accessToken: null,
    accessTokenExpiresAt: null,
    refreshToken: null,
    refreshTokenExpiresAt: null,
    account: null,
    errors,
  };
}
