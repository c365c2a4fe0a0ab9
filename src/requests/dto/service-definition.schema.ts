import { z } from 'zod';
import { UserErrorCode } from '../../common/errors/user-error.type';
import { optionalText, requiredText } from '../../common/validation/fields';
import { withCode } from '../../common/validation/validate-input';
import { AttributeDatatype, ServiceCategory } from '../entities/service-definition';

const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1–40 of a–z, 0–9, _ starting with a letter');
const label = requiredText(200);
const CHOICE_TYPES: AttributeDatatype[] = [
  AttributeDatatype.SINGLE_CHOICE,
  AttributeDatatype.MULTI_CHOICE,
];
const TEXT_TYPES: AttributeDatatype[] = [AttributeDatatype.STRING, AttributeDatatype.TEXT];

const distinctCodes = (items: Array<{ code: string }>) =>
  new Set(items.map((item) => item.code)).size === items.length;

const choice = z.object({ code, labelBn: label, labelEn: label });

const attribute = z
  .object({
    code,
    labelBn: label,
    labelEn: label,
    questionBn: optionalText(300),
    questionEn: optionalText(300),
    datatype: z.enum(AttributeDatatype),
    required: z.boolean(),
    order: z.number().int().min(0).max(1000),
    choices: z.array(choice).max(100).nullish(),
    min: z.number().nullish(),
    max: z.number().nullish(),
    maxLength: z.number().int().min(1).max(5000).nullish(),
  })
  .superRefine((a, ctx) => {
    const isChoice = CHOICE_TYPES.includes(a.datatype);
    if (isChoice && !a.choices?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['choices'],
        message: 'a choice attribute needs choices',
        ...withCode(UserErrorCode.REQUIRED),
      });
    }
    if (!isChoice && a.choices?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['choices'],
        message: 'only choice attributes have choices',
      });
    }
    if (a.choices && new Set(a.choices.map((c) => c.code)).size !== a.choices.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['choices'],
        message: 'must not repeat a choice code',
        ...withCode(UserErrorCode.DUPLICATE),
      });
    }
    if (a.datatype !== AttributeDatatype.NUMBER && (a.min != null || a.max != null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['min'],
        message: 'only NUMBER attributes have min and max',
      });
    }
    if (a.min != null && a.max != null && a.min > a.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: 'must not be below min',
        ...withCode(UserErrorCode.OUT_OF_RANGE),
      });
    }
    if (!TEXT_TYPES.includes(a.datatype) && a.maxLength != null) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxLength'],
        message: 'only STRING and TEXT attributes have maxLength',
      });
    }
  });

const document = z.object({ code, labelBn: label, labelEn: label, required: z.boolean() });

export function serviceDefinitionSchema(category: ServiceCategory) {
  return z
    .object({
      nameBn: label,
      nameEn: label,
      descriptionBn: optionalText(2000),
      descriptionEn: optionalText(2000),
      attributes: z
        .array(attribute)
        .max(50)
        .refine(distinctCodes, {
          message: 'must not repeat an attribute code',
          ...withCode(UserErrorCode.DUPLICATE),
        }),
      documents: z
        .array(document)
        .max(30)
        .refine(distinctCodes, {
          message: 'must not repeat a document code',
          ...withCode(UserErrorCode.DUPLICATE),
        }),
      slaHours: z.number().int().min(1).max(8760).nullish(),
      slaWorkingDays: z.number().int().min(1).max(365).nullish(),
      reopenDays: z.number().int().min(0).max(90).nullish(),
      doorstepDelivery: z.boolean(),
      certificateTypeCode: z
        .string()
        .trim()
        .regex(/^[A-Z]{2,10}$/, 'must be 2–10 capital letters')
        .nullish(),
      keywords: z
        .array(requiredText(60).pipe(z.string().min(2, 'must be at least 2 characters')))
        .max(60)
        .nullish()
        .transform((words) => [...new Set(words ?? [])]),
    })
    .superRefine((d, ctx) => {
      if ((d.slaHours == null) === (d.slaWorkingDays == null)) {
        ctx.addIssue({
          code: 'custom',
          path: ['slaHours'],
          message: 'give exactly one of slaHours and slaWorkingDays',
          ...withCode(UserErrorCode.REQUIRED),
        });
      }
      const isCertificate = category === ServiceCategory.CERTIFICATE;
      if (isCertificate && !d.certificateTypeCode) {
        ctx.addIssue({
          code: 'custom',
          path: ['certificateTypeCode'],
          message: 'a certificate service names its certificate type',
          ...withCode(UserErrorCode.REQUIRED),
        });
      }
      if (!isCertificate && d.certificateTypeCode) {
        ctx.addIssue({
          code: 'custom',
          path: ['certificateTypeCode'],
          message: 'only certificate services produce certificates',
        });
      }
    })
    .transform((d) => ({
      ...d,
      descriptionBn: d.descriptionBn ?? null,
      descriptionEn: d.descriptionEn ?? null,
      attributes: [...d.attributes].sort((a, b) => a.order - b.order),
      slaHours: d.slaHours ?? null,
      slaWorkingDays: d.slaWorkingDays ?? null,
      // Absent rather than null when not given: definitions saved before it stay equal.
      reopenDays: d.reopenDays ?? undefined,
      certificateTypeCode: d.certificateTypeCode ?? null,
    }));
}

export const serviceTypeCode = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be 2–40 of A–Z, 0–9, _ starting with a letter');
