import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'A new municipality.' })
export class CreateMunicipalityInput {
  @Field({ description: 'Short code, 2–8 capital letters, unique (e.g. `BSR`).' })
  code!: string;

  @Field({ description: 'Name in Bengali.' })
  nameBn!: string;

  @Field({ description: 'Name in English.' })
  nameEn!: string;

  @Field({ description: 'District, in English.' })
  district!: string;

  @Field({ description: 'State, in English.' })
  state!: string;
}
