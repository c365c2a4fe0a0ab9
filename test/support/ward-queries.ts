export const WARD_FIELDS = `
  id number nameBn nameEn councillorStatus councillorStatusSince councillorStatusNote
  population helplineWhatsappNumber whatsappPhoneNumberId active deactivatedAt version
  serviceHours { days opensAt closesAt }
`;

export const CREATE_WARD = `
  mutation ($input: CreateWardInput!) {
    createWard(input: $input) { ward { ${WARD_FIELDS} } errors { code field message } }
  }`;
