import { toAsciiDigits } from '../../common/text/digits';
import { z } from 'zod';
import { normalizeText } from '../../common/text/normalize';
import {
  keptUnlessGiven,
  optionalText,
  pastDate,
  phoneNumber,
  requiredText,
} from '../../common/validation/fields';
import { GuardianRelation, IntakeChannel, ResidentLanguage } from '../entities/resident-enums';

const pinCode = z
  .string()
  .transform((pin) => toAsciiDigits(pin).replace(/\s+/g, ''))
  .pipe(z.string().regex(/^[1-9]\d{5}$/, 'must be a 6-digit PIN code'));

// Digits in holding numbers are stored as ASCII so that `১২/ক` and `12/ক` are one holding.
const houseNumber = z
  .string()
  .transform((text) => normalizeText(toAsciiDigits(text)))
  .pipe(z.string().max(50, 'must be at most 50 characters'))
  .transform((text) => (text === '' ? null : text));

export const addressSchema = z.object({
  houseNumber: houseNumber.nullish(),
  locality: optionalText(200),
  street: optionalText(200),
  landmark: optionalText(200),
  postOffice: optionalText(200),
  pinCode: pinCode.nullish(),
});

const dateOfBirth = pastDate('1900-01-01');

const whatsappId = z
  .string()
  .transform((id) => toAsciiDigits(id).replace(/[\s+-]/g, ''))
  .pipe(z.string().regex(/^\d{6,20}$/, 'must be the digits of a WhatsApp id'));

const consent = z.object({
  channel: z.enum(IntakeChannel),
  purposeVersion: z.string().trim().min(1, 'must not be blank').max(32),
});

const STAFF_CHANNELS = [
  IntakeChannel.PHONE_CALL,
  IntakeChannel.WALK_IN,
  IntakeChannel.API,
] as const;

/** Text for certificates' English paragraph: Latin letters (Bengali letters refused). */
const latinText = (max: number) =>
  optionalText(max).refine((text) => !/[\u0981-\u09E3\u09F0-\u09FE]/.test(text ?? ''), {
    message: 'must be written in Latin letters',
  });

export const createResidentSchema = z.object({
  wardId: z.uuid('must be an ID (UUID)'),
  fullName: requiredText(200),
  altName: optionalText(200),
  guardianName: optionalText(200),
  guardianNameEn: latinText(200),
  addressEn: latinText(500),
  guardianRelation: z.enum(GuardianRelation).nullish(),
  phone: phoneNumber.nullish(),
  whatsappId: whatsappId.nullish(),
  address: addressSchema.nullish(),
  preferredLanguage: z.enum(ResidentLanguage).nullish(),
  dateOfBirth: dateOfBirth.nullish(),
  consent: consent.nullish(),
  channel: z.enum(STAFF_CHANNELS, { error: 'must be PHONE_CALL, WALK_IN or API' }).nullish(),
});

export const updateResidentSchema = z.object({
  id: z.uuid('must be an ID (UUID)'),
  version: z.number().int().min(1),
  fullName: keptUnlessGiven(requiredText(200)),
  altName: optionalText(200),
  guardianName: optionalText(200),
  guardianNameEn: latinText(200),
  addressEn: latinText(500),
  guardianRelation: z.enum(GuardianRelation).nullish(),
  phone: phoneNumber.nullish(),
  whatsappId: whatsappId.nullish(),
  address: addressSchema.nullish(),
  preferredLanguage: keptUnlessGiven(z.enum(ResidentLanguage)),
  dateOfBirth: dateOfBirth.nullish(),
  consent: consent.nullish(),
});

export const moveResidentSchema = z.object({
  residentId: z.uuid('must be an ID (UUID)'),
  toWardId: z.uuid('must be an ID (UUID)'),
  reason: optionalText(500),
});

export const eraseResidentSchema = z.object({
  residentId: z.uuid('must be an ID (UUID)'),
  reason: requiredText(500),
});

export type ResidentFields = z.output<typeof createResidentSchema>;
export type AddressFields = z.output<typeof addressSchema>;
