import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { API_CLIENT_SCOPES, Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { decodeCursor } from '../common/pagination/cursor';
import { pageSize, toConnection } from '../common/pagination/page-window';
import { requiredText } from '../common/validation/fields';
import { validateInput, withCode } from '../common/validation/validate-input';
import {
  ApiClientPayload,
  ApiClientRefInput,
  CreateApiClientInput,
  CreateApiClientPayload,
} from './dto/api-client.dto';
import { ApiClientWard } from './entities/api-client-ward.entity';
import { ApiClient } from './entities/api-client.entity';
import { formatApiKey, newSecret } from './tokens';
import { sha256Hex } from '../common/crypto/sha256';

const createApiClientSchema = z.object({
  name: requiredText(200),
  scopes: z
    .array(z.enum(Permission))
    .min(1, 'must name at least one scope')
    .refine((scopes) => scopes.every((s) => API_CLIENT_SCOPES.includes(s)), {
      message: 'staff and API client management cannot be given to an API client',
    })
    .refine((scopes) => new Set(scopes).size === scopes.length, {
      message: 'must not repeat a scope',
      ...withCode(UserErrorCode.DUPLICATE),
    }),
  wardIds: z.array(z.uuid('must be an ID (UUID)')).max(100).nullish(),
});

const clientCursor = z.tuple([z.iso.datetime(), z.uuid()]);

@Injectable()
export class ApiClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(
    actor: Actor,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<ApiClient>> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.API_CLIENTS_MANAGE,
      'API client',
    );
    const size = pageSize(first);
    const query = this.dataSource
      .getRepository(ApiClient)
      .createQueryBuilder('c')
      .where('c.municipality_id = :m', { m: actor.municipalityId });
    const totalCount = await query.clone().getCount();
    if (after) {
      const [createdAt, id] = decodeCursor(after, clientCursor);
      // Milliseconds on both sides: the cursor carries a JavaScript date.
      query.andWhere(`(date_trunc('milliseconds', c.created_at), c.id) > (:createdAt, :id)`, {
        createdAt,
        id,
      });
    }
    const rows = await query
      .orderBy(`date_trunc('milliseconds', c.created_at)`)
      .addOrderBy('c.id')
      .limit(size + 1)
      .getMany();
    return toConnection(
      rows,
      size,
      (c) => [c.createdAt.toISOString(), c.id],
      totalCount,
      Boolean(after),
    );
  }

  async create(actor: Actor, input: CreateApiClientInput): Promise<CreateApiClientPayload> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.API_CLIENTS_MANAGE,
      'API client',
    );
    const checked = validateInput(createApiClientSchema, input);
    if (!checked.ok) return { apiClient: null, apiKey: null, errors: checked.errors };
    const { name, scopes, wardIds } = checked.value;
    const secret = newSecret();
    try {
      const apiClient = await this.dataSource.transaction(async (manager) => {
        const client = await manager.save(
          manager.create(ApiClient, {
            name,
            scopes,
            municipalityId: actor.municipalityId,
            secretHash: sha256Hex(secret),
            createdBy: actor.type === 'STAFF' ? actor.id : null,
          }),
        );
        for (const wardId of new Set(wardIds ?? [])) {
          await manager.insert(ApiClientWard, {
            apiClientId: client.id,
            wardId,
            municipalityId: actor.municipalityId,
          });
        }
        await this.audit.record(manager, auditActorOf(actor), {
          action: 'api_client.created',
          entityType: 'ApiClient',
          entityId: client.id,
          municipalityId: actor.municipalityId,
          changes: { name, scopes, wardIds: wardIds ?? [] },
        });
        return client;
      });
      return { apiClient, apiKey: formatApiKey(apiClient.id, secret), errors: [] };
    } catch (error) {
      const constraint = (error as QueryFailedError & { driverError?: { constraint?: string } })
        .driverError?.constraint;
      if (constraint !== 'fk_api_client_wards_ward') throw error;
      return {
        apiClient: null,
        apiKey: null,
        errors: [
          userError(
            UserErrorCode.NOT_FOUND,
            'wardIds',
            'names a ward that is not in your municipality',
          ),
        ],
      };
    }
  }

  /** Its key stops working at once. Idempotent. */
  async revoke(actor: Actor, input: ApiClientRefInput): Promise<ApiClientPayload> {
    const client = await this.dataSource
      .getRepository(ApiClient)
      .findOneBy({ id: assertUuid(input.apiClientId, 'apiClientId') });
    if (!client) throw new NotFoundError('API client');
    assertAccess(actor, client, Permission.API_CLIENTS_MANAGE, 'API client');
    if (client.revokedAt) return { apiClient: client, errors: [] };
    return this.dataSource.transaction(async (manager) => {
      await manager.update(ApiClient, { id: client.id }, { revokedAt: () => 'now()' });
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'api_client.revoked',
        entityType: 'ApiClient',
        entityId: client.id,
        municipalityId: client.municipalityId,
      });
      return { apiClient: await manager.findOneByOrFail(ApiClient, { id: client.id }), errors: [] };
    });
  }
}
