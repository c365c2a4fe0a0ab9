import { registerEnumType } from '@nestjs/graphql';

export enum CallbackTaskStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(CallbackTaskStatus, {
  name: 'CallbackTaskStatus',
  description: 'Whether a missed call still waits to be called back.',
});

export enum CallbackOutcome {
  REACHED = 'REACHED',
  NO_ANSWER = 'NO_ANSWER',
  WRONG_NUMBER = 'WRONG_NUMBER',
}
registerEnumType(CallbackOutcome, {
  name: 'CallbackOutcome',
  description: 'How one attempt to call a resident back went.',
  valuesMap: {
    REACHED: { description: 'The caller answered.' },
    NO_ANSWER: { description: 'Nobody answered (three of these close the task).' },
    WRONG_NUMBER: { description: 'The number was not the caller’s; the task closes.' },
  },
});

export enum CallbackResult {
  REQUEST_CREATED = 'REQUEST_CREATED',
  STATUS_GIVEN = 'STATUS_GIVEN',
  NOTHING = 'NOTHING',
}
registerEnumType(CallbackResult, {
  name: 'CallbackResult',
  description: 'What came of a call back.',
  valuesMap: {
    REQUEST_CREATED: { description: 'A request was made by phone.' },
    STATUS_GIVEN: { description: 'The caller was told where their request stands.' },
    NOTHING: { description: 'Nothing further (not reached, or nothing asked).' },
  },
});

export enum CallbackClosedReason {
  REACHED = 'REACHED',
  NO_ANSWER = 'NO_ANSWER',
  WRONG_NUMBER = 'WRONG_NUMBER',
}
registerEnumType(CallbackClosedReason, {
  name: 'CallbackClosedReason',
  description: 'Why a callback task closed.',
  valuesMap: {
    REACHED: { description: 'The caller was reached.' },
    NO_ANSWER: { description: 'Three attempts went unanswered.' },
    WRONG_NUMBER: { description: 'The number was not the caller’s.' },
  },
});
