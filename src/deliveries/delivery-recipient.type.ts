import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'The person a delivery is handed to.' })
export class DeliveryRecipient {
  @Field({ description: 'Name, as registered.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Phone (E.164), to call from the door.' })
  phone!: string | null;
}
