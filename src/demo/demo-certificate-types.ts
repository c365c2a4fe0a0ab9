import { CreateCertificateTypeInput } from '../certificates/dto/certificate-type.inputs';
import { StaffRole } from '../common/access/staff-role';

/** Certificate types of the demo municipality (`certificateTypeCode` of the catalogue). */
export const DEMO_CERTIFICATE_TYPES: CreateCertificateTypeInput[] = [
  {
    code: 'RES',
    attributeCodes: ['years_of_residence', 'purpose'],
    feeRupees: 20,
    nameBn: 'বাসস্থান শংসাপত্র',
    nameEn: 'Residence certificate',
    signerRole: StaffRole.SIGNATORY,
    validityDays: null,
    templateBn:
      'প্রত্যয়ন করা যাচ্ছে যে {{holderName}} ({{guardianRelation}}: {{guardianName}}), ঠিকানা: {{address}}, {{wardName}}, {{municipalityName}}-এর বাসিন্দা এবং {{years_of_residence}} বছর ধরে এখানে বসবাস করছেন। এই শংসাপত্র {{purpose}} কাজে দেওয়া হলো।',
    templateEn:
      'This is to certify that {{holderName}} ({{guardianRelation}}: {{guardianName}}), of {{address}}, {{wardName}}, {{municipalityName}}, is a resident and has lived here for {{years_of_residence}} years. Issued for: {{purpose}}.',
  },
  {
    code: 'INC',
    attributeCodes: ['annual_income', 'purpose'],
    feeRupees: 20,
    nameBn: 'আয়ের শংসাপত্র',
    nameEn: 'Income certificate',
    signerRole: StaffRole.SIGNATORY,
    validityDays: 365,
    templateBn:
      'প্রত্যয়ন করা যাচ্ছে যে {{holderName}} ({{guardianRelation}}: {{guardianName}}), {{wardName}}, {{municipalityName}}-এর পরিবারের বার্ষিক আয় ₹{{annual_income}}। এই শংসাপত্র {{purpose}} কাজে দেওয়া হলো।',
    templateEn:
      'This is to certify that the annual family income of {{holderName}} ({{guardianRelation}}: {{guardianName}}), {{wardName}}, {{municipalityName}}, is ₹{{annual_income}}. Issued for: {{purpose}}.',
  },
  {
    code: 'CHR',
    attributeCodes: ['purpose'],
    feeRupees: 0,
    nameBn: 'চারিত্রিক শংসাপত্র',
    nameEn: 'Character certificate',
    signerRole: StaffRole.WARD_COORDINATOR,
    validityDays: 180,
    templateBn:
      'প্রত্যয়ন করা যাচ্ছে যে {{holderName}}, {{wardName}}, {{municipalityName}}-কে আমি চিনি; আমার জানা মতে তাঁর চরিত্র ভালো। এই শংসাপত্র {{purpose}} কাজে দেওয়া হলো।',
    templateEn:
      'This is to certify that I know {{holderName}} of {{wardName}}, {{municipalityName}}, who to my knowledge bears a good character. Issued for: {{purpose}}.',
  },
  {
    code: 'IDN',
    attributeCodes: [],
    feeRupees: 0,
    nameBn: 'পরিচয় শংসাপত্র',
    nameEn: 'Identity certificate',
    signerRole: StaffRole.WARD_COORDINATOR,
    validityDays: 180,
    templateBn:
      'প্রত্যয়ন করা যাচ্ছে যে {{holderName}} ({{guardianRelation}}: {{guardianName}}), {{address}}, {{wardName}}, {{municipalityName}}-এর বাসিন্দা।',
    templateEn:
      'This is to certify the identity of {{holderName}} ({{guardianRelation}}: {{guardianName}}), of {{address}}, {{wardName}}, {{municipalityName}}.',
  },
  {
    code: 'LHR',
    attributeCodes: ['deceased_name', 'date_of_death', 'heirs'],
    feeRupees: 0,
    nameBn: 'ওয়ারিশ সুপারিশ',
    nameEn: 'Legal-heir recommendation',
    signerRole: StaffRole.WARD_COORDINATOR,
    validityDays: null,
    templateBn:
      'প্রয়াত {{deceased_name}} ({{date_of_death}})-এর ওয়ারিশ হিসেবে নিম্নলিখিতদের সুপারিশ করা হলো: {{heirs}}। আবেদনকারী: {{holderName}}, {{wardName}}।',
    templateEn:
      'The following are recommended as legal heirs of the late {{deceased_name}} ({{date_of_death}}): {{heirs}}. Applicant: {{holderName}}, {{wardName}}.',
  },
  {
    code: 'BDR',
    attributeCodes: ['person_name', 'event', 'event_date'],
    feeRupees: 0,
    nameBn: 'জন্ম/মৃত্যু নিবন্ধনের সুপারিশ',
    nameEn: 'Birth/death registration recommendation',
    signerRole: StaffRole.WARD_COORDINATOR,
    validityDays: null,
    templateBn:
      '{{person_name}}-এর {{event}} ({{event_date}}) বাড়িতে হয়েছে বলে জানা যায়; নিবন্ধনের সুপারিশ করা হলো। আবেদনকারী: {{holderName}}, {{wardName}}।',
    templateEn:
      'The {{event}} of {{person_name}} ({{event_date}}) is known to have taken place at home; registration is recommended. Applicant: {{holderName}}, {{wardName}}.',
  },
  {
    code: 'NOC',
    attributeCodes: ['purpose_details'],
    feeRupees: 50,
    nameBn: 'অনাপত্তি পত্র',
    nameEn: 'No-objection letter',
    signerRole: StaffRole.SIGNATORY,
    validityDays: 180,
    templateBn:
      '{{holderName}}, {{wardName}}, {{municipalityName}}-এর নিম্নলিখিত বিষয়ে কোনো আপত্তি নেই: {{purpose_details}}।',
    templateEn:
      'There is no objection to the following by {{holderName}}, {{wardName}}, {{municipalityName}}: {{purpose_details}}.',
  },
];
