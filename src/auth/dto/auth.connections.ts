import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection.type';
import { ApiClient } from '../entities/api-client.entity';
import { StaffAccount } from '../entities/staff-account.entity';

@ObjectType({ description: 'A page of staff accounts.' })
export class StaffAccountConnection extends Connection(StaffAccount, 'StaffAccount') {}

@ObjectType({ description: 'A page of API clients.' })
export class ApiClientConnection extends Connection(ApiClient, 'ApiClient') {}
