import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection.type';
import { Municipality } from '../entities/municipality.entity';
import { Ward } from '../entities/ward.entity';

@ObjectType({ description: 'A page of wards.' })
export class WardConnection extends Connection(Ward, 'Ward') {}

@ObjectType({ description: 'A page of municipalities.' })
export class MunicipalityConnection extends Connection(Municipality, 'Municipality') {}
