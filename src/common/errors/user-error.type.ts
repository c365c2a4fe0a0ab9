import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

/** Why an input was refused; stable, meant for programs. */
export enum UserErrorCode {
  REQUIRED = 'REQUIRED',
  INVALID = 'INVALID',
  INVALID_FORMAT = 'INVALID_FORMAT',
  TOO_SHORT = 'TOO_SHORT',
  TOO_LONG = 'TOO_LONG',
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  DUPLICATE = 'DUPLICATE',
  STALE_VERSION = 'STALE_VERSION',
  TOO_WEAK = 'TOO_WEAK',
  NOT_FOUND = 'NOT_FOUND',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
}

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why an input value was refused.',
  valuesMap: {
    REQUIRED: { description: 'A value is required and was missing or blank.' },
    INVALID: { description: 'The value is not acceptable here.' },
    INVALID_FORMAT: { description: 'The value does not have the expected format.' },
    TOO_SHORT: { description: 'The text or list is shorter than allowed.' },
    TOO_LONG: { description: 'The text or list is longer than allowed.' },
    OUT_OF_RANGE: { description: 'The number or date is outside the allowed range.' },
    DUPLICATE: { description: 'Another record already uses this value.' },
    STALE_VERSION: { description: 'The record changed since it was read; read it again.' },
    TOO_WEAK: { description: 'The password is too easy to guess.' },
    NOT_FOUND: { description: 'The referenced record does not exist or is not yours to use.' },
    INVALID_TRANSITION: {
      description: 'The workflow does not allow this step from the record’s current state.',
    },
  },
});

@ObjectType({ description: 'A problem with one input field that the caller can fix.' })
export class UserError {
  @Field(() => UserErrorCode, { description: 'Machine-readable reason.' })
  code!: UserErrorCode;

  @Field(() => String, {
    nullable: true,
    description:
      'Path of the offending field inside `input`, dot-separated (e.g. `serviceHours.opensAt`).',
  })
  field!: string | null;

  @Field({ description: 'Human-readable explanation, in English.' })
  message!: string;
}

export function userError(code: UserErrorCode, field: string | null, message: string): UserError {
  return Object.assign(new UserError(), { code, field, message });
}
