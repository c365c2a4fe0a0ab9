import { registerEnumType } from '@nestjs/graphql';

export enum CouncillorStatus {
  ELECTED = 'ELECTED',
  VACANT = 'VACANT',
}

registerEnumType(CouncillorStatus, {
  name: 'CouncillorStatus',
  description: 'Whether the ward has a sitting elected councillor.',
  valuesMap: {
    ELECTED: { description: 'A councillor holds the seat.' },
    VACANT: { description: 'The seat is vacant; a coordinator runs ward services.' },
  },
});
