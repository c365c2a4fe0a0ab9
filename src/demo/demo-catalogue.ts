import { CreateServiceTypeInput } from '../requests/dto/service-type.dto';
import {
  AttributeDatatype,
  ServiceAttribute,
  ServiceCategory,
} from '../requests/entities/service-definition';

/** The catalogue of ../shared/reference/domain.md; real deployments edit it. */
type Attr = Omit<ServiceAttribute, 'order'>;

const text = (code: string, labelBn: string, labelEn: string, required = true): Attr => ({
  code,
  labelBn,
  labelEn,
  datatype: AttributeDatatype.STRING,
  required,
});
const longText = (code: string, labelBn: string, labelEn: string, required = true): Attr => ({
  code,
  labelBn,
  labelEn,
  datatype: AttributeDatatype.TEXT,
  required,
});
const number = (
  code: string,
  labelBn: string,
  labelEn: string,
  min: number,
  max: number,
): Attr => ({
  code,
  labelBn,
  labelEn,
  datatype: AttributeDatatype.NUMBER,
  required: true,
  min,
  max,
});
const date = (code: string, labelBn: string, labelEn: string): Attr => ({
  code,
  labelBn,
  labelEn,
  datatype: AttributeDatatype.DATE,
  required: true,
});
const oneOf = (
  code: string,
  labelBn: string,
  labelEn: string,
  choices: Array<[string, string, string]>,
): Attr => ({
  code,
  labelBn,
  labelEn,
  datatype: AttributeDatatype.SINGLE_CHOICE,
  required: true,
  choices: choices.map(([c, bn, en]) => ({ code: c, labelBn: bn, labelEn: en })),
});
const PURPOSE = oneOf('purpose', 'কী কাজে লাগবে', 'Purpose', [
  ['school', 'স্কুল/কলেজ', 'School or college'],
  ['bank', 'ব্যাংক', 'Bank'],
  ['job', 'চাকরি', 'Job'],
  ['scheme', 'সরকারি প্রকল্প', 'Government scheme'],
  ['other', 'অন্য', 'Other'],
]);
const AADHAAR = { code: 'aadhaar', labelBn: 'আধার কার্ড', labelEn: 'Aadhaar card', required: true };
const VOTER_ID = {
  code: 'voter_id',
  labelBn: 'ভোটার কার্ড',
  labelEn: 'Voter ID card',
  required: false,
};
const RATION = {
  code: 'ration_card',
  labelBn: 'রেশন কার্ড',
  labelEn: 'Ration card',
  required: false,
};

function service(
  code: string,
  category: ServiceCategory,
  nameBn: string,
  nameEn: string,
  sla: { hours?: number; workingDays?: number },
  attributes: Attr[],
  extra: {
    certificate?: string;
    doorstep?: boolean;
    documents?: (typeof AADHAAR)[];
    keywords?: string[];
  } = {},
): CreateServiceTypeInput {
  return {
    code,
    category,
    definition: {
      nameBn,
      nameEn,
      attributes: attributes.map((a, order) => ({ ...a, order })),
      documents: extra.documents ?? [],
      slaHours: sla.hours ?? null,
      slaWorkingDays: sla.workingDays ?? null,
      doorstepDelivery: extra.doorstep ?? category === ServiceCategory.CERTIFICATE,
      certificateTypeCode: extra.certificate ?? null,
      keywords: extra.keywords ?? [],
    },
  };
}

const { CERTIFICATE, SERVICE, COMPLAINT } = ServiceCategory;

export const DEMO_CATALOGUE: CreateServiceTypeInput[] = [
  service(
    'RESIDENCE_CERT',
    CERTIFICATE,
    'বাসস্থান শংসাপত্র',
    'Residence certificate',
    { workingDays: 7 },
    [PURPOSE, number('years_of_residence', 'কত বছর বসবাস', 'Years of residence', 0, 120)],
    {
      keywords: [
        'বসবাস',
        'বাসস্থান',
        'বসবাসের প্রমাণ',
        'ঠিকানার প্রমাণ',
        'residence',
        'residential',
        'domicile',
        'basobas',
        'bosobas',
        'basosthan',
        'address proof',
        'niwas',
        'nivas',
      ],
      certificate: 'RES',
      documents: [AADHAAR, VOTER_ID, RATION],
    },
  ),
  service(
    'INCOME_CERT',
    CERTIFICATE,
    'আয়ের শংসাপত্র',
    'Income certificate',
    { workingDays: 7 },
    [
      PURPOSE,
      number(
        'annual_income',
        'পরিবারের বার্ষিক আয় (টাকা)',
        'Annual family income (₹)',
        0,
        100_000_000,
      ),
    ],
    {
      keywords: [
        'আয়',
        'ইনকাম',
        'রোজগার',
        'income',
        'aay',
        'aye',
        'inkam',
        'salary',
        'বেতন',
        'earning',
      ],
      certificate: 'INC',
      documents: [AADHAAR, RATION],
    },
  ),
  service(
    'CHARACTER_CERT',
    CERTIFICATE,
    'চারিত্রিক শংসাপত্র',
    'Character certificate',
    { workingDays: 7 },
    [PURPOSE],
    {
      keywords: [
        'চরিত্র',
        'চারিত্রিক',
        'character',
        'charitrik',
        'charitra',
        'conduct',
        'police verification',
      ],
      certificate: 'CHR',
      documents: [AADHAAR],
    },
  ),
  service(
    'IDENTITY_CERT',
    CERTIFICATE,
    'পরিচয় শংসাপত্র',
    'Identity certificate',
    { workingDays: 5 },
    [PURPOSE],
    {
      keywords: [
        'পরিচয়',
        'পরিচয়পত্র',
        'identity',
        'identification',
        'porichoy',
        'parichay',
        'id proof',
      ],
      certificate: 'IDN',
      documents: [VOTER_ID],
    },
  ),
  service(
    'LEGAL_HEIR_REC',
    CERTIFICATE,
    'ওয়ারিশ সুপারিশ',
    'Legal-heir (warish) recommendation',
    { workingDays: 15 },
    [
      text('deceased_name', 'মৃত ব্যক্তির নাম', 'Name of the deceased'),
      date('date_of_death', 'মৃত্যুর তারিখ', 'Date of death'),
      longText('heirs', 'ওয়ারিশদের নাম ও সম্পর্ক', 'Heirs and their relation'),
    ],
    {
      keywords: [
        'ওয়ারিশ',
        'উত্তরাধিকার',
        'warish',
        'waris',
        'legal heir',
        'heir',
        'succession',
        'উত্তরাধিকারী',
      ],
      certificate: 'LHR',
      documents: [AADHAAR],
    },
  ),
  service(
    'HOME_BIRTH_DEATH_REC',
    CERTIFICATE,
    'বাড়িতে জন্ম/মৃত্যু নিবন্ধনের সুপারিশ',
    'Recommendation for home birth/death registration',
    { workingDays: 7 },
    [
      oneOf('event', 'ঘটনা', 'Event', [
        ['birth', 'জন্ম', 'Birth'],
        ['death', 'মৃত্যু', 'Death'],
      ]),
      date('event_date', 'তারিখ', 'Date'),
      text('person_name', 'যাঁর জন্ম/মৃত্যু', 'Name of the person'),
    ],
    {
      keywords: [
        'বাড়িতে জন্ম',
        'বাড়িতে মৃত্যু',
        'home birth',
        'home death',
        'barite jonmo',
        'barite mrittu',
        'জন্ম নিবন্ধন',
        'মৃত্যু নিবন্ধন',
        'birth registration',
        'death registration',
      ],
      certificate: 'BDR',
    },
  ),
  service(
    'NO_OBJECTION',
    CERTIFICATE,
    'অনাপত্তি পত্র',
    'No-objection letter',
    { workingDays: 7 },
    [longText('purpose_details', 'কী বিষয়ে অনাপত্তি', 'What the letter is for')],
    {
      keywords: ['অনাপত্তি', 'noc', 'এনওসি', 'no objection', 'anapatti', 'onapotti'],
      certificate: 'NOC',
    },
  ),
  service(
    'BIRTH_DEATH_COPY',
    SERVICE,
    'জন্ম/মৃত্যু শংসাপত্রের প্রতিলিপি',
    'Copy of a birth/death certificate',
    { workingDays: 3 },
    [text('registration_number', 'নিবন্ধন নম্বর', 'Registration number')],
    {
      keywords: [
        'জন্মের সার্টিফিকেটের কপি',
        'জন্ম সনদ',
        'মৃত্যু সনদ',
        'birth certificate',
        'death certificate',
        'jonmo sonod',
        'birth copy',
        'প্রতিলিপি',
        'duplicate',
      ],
      doorstep: true,
    },
  ),
  service(
    'TRADE_LICENCE_HELP',
    SERVICE,
    'ট্রেড লাইসেন্সে সহায়তা',
    'Help with a trade licence',
    { workingDays: 7 },
    [text('business_name', 'ব্যবসার নাম', 'Name of the business')],
    {
      keywords: [
        'ট্রেড লাইসেন্স',
        'ব্যবসা',
        'দোকান',
        'trade licence',
        'trade license',
        'licence',
        'license',
        'business',
        'dokan',
        'byabsa',
        'babsa',
      ],
    },
  ),
  service(
    'WATER_SUPPLY',
    COMPLAINT,
    'জল সরবরাহের অভিযোগ',
    'Water supply complaint',
    { hours: 48 },
    [longText('details', 'কী সমস্যা', 'What is wrong', false)],
    {
      keywords: [
        'জল',
        'পানি',
        'কল',
        'জলের লাইন',
        'টিউবওয়েল',
        'water',
        'jol',
        'pani',
        'tap',
        'tubewell',
        'pipe',
        'জল আসছে না',
        'no water',
      ],
    },
  ),
  service(
    'DRAINAGE',
    COMPLAINT,
    'নিকাশির অভিযোগ',
    'Drainage complaint',
    { hours: 72 },
    [longText('details', 'কী সমস্যা', 'What is wrong', false)],
    {
      keywords: [
        'নিকাশি',
        'নর্দমা',
        'ড্রেন',
        'নালা',
        'জল জমে',
        'drain',
        'drainage',
        'nala',
        'nordoma',
        'sewer',
        'waterlogging',
        'jol jome',
      ],
    },
  ),
  service(
    'STREET_LIGHT',
    COMPLAINT,
    'পথবাতির অভিযোগ',
    'Street light complaint',
    { hours: 48 },
    [text('pole_number', 'খুঁটির নম্বর', 'Pole number', false)],
    {
      keywords: [
        'পথবাতি',
        'রাস্তার আলো',
        'লাইট',
        'বাতি',
        'আলো জ্বলছে না',
        'street light',
        'streetlight',
        'light',
        'lamp',
        'bati',
        'alo',
      ],
    },
  ),
  service(
    'GARBAGE',
    COMPLAINT,
    'আবর্জনা সংগ্রহের অভিযোগ',
    'Garbage collection complaint',
    { hours: 24 },
    [],
    {
      keywords: [
        'আবর্জনা',
        'ময়লা',
        'নোংরা',
        'জঞ্জাল',
        'garbage',
        'rubbish',
        'trash',
        'waste',
        'moyla',
        'jonjal',
        'abarjana',
        'dustbin',
      ],
    },
  ),
  service(
    'ROAD_REPAIR',
    COMPLAINT,
    'রাস্তা মেরামতের অভিযোগ',
    'Road repair complaint',
    { workingDays: 15 },
    [longText('details', 'কোথায়, কী অবস্থা', 'Where, and what state the road is in', false)],
    {
      keywords: [
        'রাস্তা',
        'রাস্তা ভাঙা',
        'গর্ত',
        'খানাখন্দ',
        'road',
        'rasta',
        'pothole',
        'gorto',
        'road repair',
        'broken road',
      ],
    },
  ),
];
