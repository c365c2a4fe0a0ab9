import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Permission } from '../../common/access/permission';
import { UserError } from '../../common/errors/user-error.type';
import { ApiClient } from '../entities/api-client.entity';

@InputType({ description: 'A new integration client of the administrator’s municipality.' })
export class CreateApiClientInput {
  @Field({ description: 'What the client is (1–200 characters).' })
  name!: string;

  @Field(() => [Permission], {
    description:
      'Scopes: WARDS_READ, RESIDENTS_READ/WRITE, REQUESTS_READ/WRITE, CERTIFICATES_READ/ISSUE, WEBHOOKS_MANAGE, AUDIT_READ.',
  })
  scopes!: Permission[];

  @Field(() => [ID], {
    nullable: true,
    description: 'Restrict the client to these wards; omitted or empty: every ward.',
  })
  wardIds?: string[] | null;
}

@InputType({ description: 'Names an API client.' })
export class ApiClientRefInput {
  @Field(() => ID, { description: 'The API client.' })
  apiClientId!: string;
}

@ObjectType({ description: 'Result of createApiClient: the key is shown this once only.' })
export class CreateApiClientPayload {
  @Field(() => ApiClient, { nullable: true, description: 'The client; null when refused.' })
  apiClient!: ApiClient | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The key, sent as `Authorization: Bearer <key>`. Store it now: it cannot be shown again.',
  })
  apiKey!: string | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'Result of revokeApiClient.' })
export class ApiClientPayload {
  @Field(() => ApiClient, { nullable: true, description: 'The client.' })
  apiClient!: ApiClient | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}
