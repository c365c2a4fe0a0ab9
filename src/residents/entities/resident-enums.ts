import { registerEnumType } from '@nestjs/graphql';

export enum ResidentLanguage {
  BN = 'BN',
  EN = 'EN',
}
registerEnumType(ResidentLanguage, {
  name: 'ResidentLanguage',
  description: 'Language the resident is written to in: Bengali or English.',
});

export enum ResidentVerification {
  UNVERIFIED = 'UNVERIFIED',
  VERIFIED = 'VERIFIED',
}
registerEnumType(ResidentVerification, {
  name: 'ResidentVerification',
  description: 'Whether a coordinator has checked who the resident is.',
  valuesMap: {
    UNVERIFIED: { description: 'Not checked yet (e.g. registered from WhatsApp).' },
    VERIFIED: { description: 'Checked by a coordinator.' },
  },
});

export enum GuardianRelation {
  FATHER = 'FATHER',
  HUSBAND = 'HUSBAND',
  MOTHER = 'MOTHER',
}
registerEnumType(GuardianRelation, {
  name: 'GuardianRelation',
  description: 'How the guardian named on certificates is related to the resident.',
});

export enum IntakeChannel {
  WHATSAPP = 'WHATSAPP',
  PHONE_CALL = 'PHONE_CALL',
  WALK_IN = 'WALK_IN',
  API = 'API',
  IMPORT = 'IMPORT',
}
registerEnumType(IntakeChannel, {
  name: 'IntakeChannel',
  description: 'How something reached Duare.',
});
