import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Permission } from '../../common/access/permission';
import { ApiClient } from '../entities/api-client.entity';
import { RoleGrantRow } from '../entities/role-grant.entity';
import { StaffAccount } from '../entities/staff-account.entity';

export enum ActorType {
  STAFF = 'STAFF',
  API_CLIENT = 'API_CLIENT',
}

registerEnumType(ActorType, { name: 'ActorType', description: 'Kind of authenticated caller.' });

@ObjectType({ description: 'The authenticated caller: a staff member or an API client.' })
export class Viewer {
  @Field(() => ActorType, { description: 'Staff member or API client.' })
  actorType!: ActorType;

  @Field(() => ID, { description: 'The caller’s municipality.' })
  municipalityId!: string;

  @Field(() => StaffAccount, { nullable: true, description: 'The staff account, for staff.' })
  staffAccount!: StaffAccount | null;

  @Field(() => ApiClient, { nullable: true, description: 'The API client, for API clients.' })
  apiClient!: ApiClient | null;

  @Field(() => [RoleGrantRow], { description: 'Roles of a staff member (empty for API clients).' })
  roles!: RoleGrantRow[];

  @Field(() => [ID], {
    description: 'Wards the caller works in; empty when it reaches every ward of the municipality.',
  })
  wardIds!: string[];

  @Field(() => [Permission], { description: 'Everything the caller may do somewhere.' })
  permissions!: Permission[];
}
