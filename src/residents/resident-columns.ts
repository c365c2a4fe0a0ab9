import { IntakeChannel } from './entities/resident-enums';
import { Resident } from './entities/resident.entity';
import { AddressFields } from './dto/resident-input.schemas';
import { nameKey } from '../common/text/name-key';

const EMPTY_ADDRESS: AddressFields = {
  houseNumber: null,
  locality: null,
  street: null,
  landmark: null,
  postOffice: null,
  pinCode: null,
};

/** The address columns of a resident from a validated address (null clears it). */
export function addressColumns(address: AddressFields | null | undefined): Partial<Resident> {
  const a = { ...EMPTY_ADDRESS, ...(address ?? {}) };
  return {
    houseNumber: a.houseNumber ?? null,
    locality: a.locality ?? null,
    street: a.street ?? null,
    landmark: a.landmark ?? null,
    postOffice: a.postOffice ?? null,
    pinCode: a.pinCode ?? null,
  };
}

/** The search key of the names, kept in step with every change of a name. */
export function searchKey(fullName: string, altName: string | null | undefined): string {
  return [nameKey(fullName), nameKey(altName)].filter(Boolean).join(' ');
}

export function consentColumns(
  consent: { channel: IntakeChannel; purposeVersion: string } | null | undefined,
): Partial<Resident> {
  if (!consent) return {};
  return {
    consentAt: new Date(),
    consentChannel: consent.channel,
    consentPurposeVersion: consent.purposeVersion,
  };
}

/** Fields whose values are personal data: the audit trail records that they changed, not how. */
export const AUDITED_RESIDENT_FIELDS = [
  'wardId',
  'fullName',
  'altName',
  'guardianName',
  'guardianNameEn',
  'addressEn',
  'guardianRelation',
  'phone',
  'whatsappId',
  'houseNumber',
  'locality',
  'street',
  'landmark',
  'postOffice',
  'pinCode',
  'preferredLanguage',
  'dateOfBirth',
  'verification',
  'consentPurposeVersion',
] as const;
