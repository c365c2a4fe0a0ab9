import { z } from 'zod';
import { UserErrorCode } from '../../common/errors/user-error.type';
import { optionalText, requiredText } from '../../common/validation/fields';
import { withCode } from '../../common/validation/validate-input';
import { AttachmentKind, AttachmentSource } from '../entities/request-enums';

/** WhatsApp's largest media (documents) is 100 MB; nothing we keep is larger. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;
export const MAX_ATTACHMENTS = 20;
export const MAX_NOTE_LENGTH = 5000;

const mimeType = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]+\/[a-z0-9][a-z0-9.+-]{0,80}$/, {
    message: 'must be a MIME type such as image/jpeg',
    ...withCode(UserErrorCode.INVALID_FORMAT),
  });

export const attachmentSchema = z.object({
  kind: z.enum(AttachmentKind),
  source: z.enum(AttachmentSource),
  mediaRef: requiredText(500),
  mimeType,
  sizeBytes: z
    .number()
    .int()
    .min(1, 'must be at least 1 byte')
    .max(MAX_ATTACHMENT_BYTES, 'must be at most 100 MB'),
  sha256: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{64}$/, {
      message: 'must be 64 hex characters',
      ...withCode(UserErrorCode.INVALID_FORMAT),
    }),
  caption: optionalText(1000),
});

export type CheckedAttachment = z.output<typeof attachmentSchema>;

const uuid = z.uuid({ message: 'must be an id returned by the API' });

export const createRequestSchema = z.object({
  residentId: uuid,
  serviceTypeId: uuid,
  description: optionalText(MAX_NOTE_LENGTH),
  attachments: z
    .array(attachmentSchema)
    .max(MAX_ATTACHMENTS, `must be at most ${MAX_ATTACHMENTS} files`)
    .nullish()
    .superRefine((files, ctx) => {
      const seen = new Set<string>();
      (files ?? []).forEach((file, index) => {
        if (seen.has(file.sha256)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'sha256'],
            message: 'the same file is attached twice',
            ...withCode(UserErrorCode.DUPLICATE),
          });
        }
        seen.add(file.sha256);
      });
    }),
  idempotencyKey: z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, {
      message: 'must be 1–200 visible ASCII characters (a UUID is a good key)',
      ...withCode(UserErrorCode.INVALID_FORMAT),
    })
    .nullish(),
});

export const noteSchema = requiredText(MAX_NOTE_LENGTH);
export const optionalNoteSchema = optionalText(MAX_NOTE_LENGTH);
