import { z } from 'zod';
import { UserErrorCode } from '../../common/errors/user-error.type';
import {
  keptUnlessGiven,
  optionalText,
  pastDate,
  phoneNumber,
  requiredText,
} from '../../common/validation/fields';
import { withCode } from '../../common/validation/validate-input';
import { CouncillorStatus } from '../entities/councillor-status.enum';
import { Weekday } from '../entities/service-hours.type';

const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
const closingClock = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const serviceHours = z
  .object({
    days: z
      .array(z.enum(Weekday))
      .min(1, 'must name at least one day')
      .refine((days) => new Set(days).size === days.length, {
        message: 'must not repeat a day',
        ...withCode(UserErrorCode.DUPLICATE),
      }),
    opensAt: z.string().regex(clock, 'must be a time as HH:MM between 00:00 and 23:59'),
    closesAt: z.string().regex(closingClock, 'must be a time as HH:MM between 00:01 and 24:00'),
  })
  // Only compares well-formed times; a malformed one already has its own error.
  .refine(
    (hours) =>
      !clock.test(hours.opensAt) ||
      !closingClock.test(hours.closesAt) ||
      hours.closesAt > hours.opensAt,
    {
      path: ['closesAt'],
      message: 'must be later than opensAt',
      ...withCode(UserErrorCode.OUT_OF_RANGE),
    },
  );

const pastOrTodayDate = pastDate();

const wardNumber = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 999')
  .max(999, 'must be between 1 and 999');
const population = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(10_000_000, 'must be at most 10,000,000');
const whatsappPhoneNumberId = z
  .string()
  .trim()
  .regex(/^\d{5,32}$/, 'must be the numeric phone_number_id shown in WhatsApp Manager');
const nameText = requiredText(200);
const noteText = optionalText(1000);

export const createWardSchema = z.object({
  number: wardNumber,
  nameBn: nameText,
  nameEn: nameText,
  councillorStatus: z.enum(CouncillorStatus).nullish(),
  councillorStatusSince: pastOrTodayDate.nullish(),
  councillorStatusNote: noteText,
  population: population.nullish(),
  helplineWhatsappNumber: phoneNumber.nullish(),
  whatsappPhoneNumberId: whatsappPhoneNumberId.nullish(),
  serviceHours: serviceHours.nullish(),
});

export const updateWardSchema = z.object({
  id: z.uuid('must be an ID (UUID)'),
  version: z.number().int().min(1),
  number: keptUnlessGiven(wardNumber),
  nameBn: keptUnlessGiven(nameText),
  nameEn: keptUnlessGiven(nameText),
  population: population.nullish(),
  helplineWhatsappNumber: phoneNumber.nullish(),
  whatsappPhoneNumberId: whatsappPhoneNumberId.nullish(),
  serviceHours: keptUnlessGiven(serviceHours),
});

export const setCouncillorStatusSchema = z.object({
  wardId: z.uuid('must be an ID (UUID)'),
  status: z.enum(CouncillorStatus),
  since: pastOrTodayDate,
  note: noteText,
});

export const createMunicipalitySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z]{2,8}$/, 'must be 2 to 8 capital Latin letters'),
  nameBn: nameText,
  nameEn: nameText,
  district: nameText,
  state: nameText,
});
