import { ArgsType, Field, Int } from '@nestjs/graphql';

/** Forward pagination arguments of every connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: 'Page size: default 20, at most 100 (larger values are capped).',
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Continue after this cursor (a previous page’s `pageInfo.endCursor`).',
  })
  after?: string | null;
}
