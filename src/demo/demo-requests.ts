import { RequestAction, RequestChannel } from '../requests/entities/request-enums';

/** One demo request: the service, what the resident said, and how far it has got. */
export interface DemoRequest {
  service: string;
  attributes: Record<string, unknown>;
  channel: RequestChannel;
  description?: string;
  steps: Array<[RequestAction, string?]>;
  /** Scheduled for delivery tomorrow by the demo coordinator with the first demo agent. */
  deliver?: boolean;
}

const {
  START_REVIEW,
  REQUEST_INFO,
  APPROVE,
  REJECT,
  RESOLVE,
  MARK_READY,
  HAND_OVER,
  CLOSE,
  CANCEL,
} = RequestAction;
const { PHONE_CALL, WALK_IN } = RequestChannel;

/** A ward-5 queue with something in every column, so the first session has work to see. */
export const DEMO_REQUESTS: DemoRequest[] = [
  {
    service: 'RESIDENCE_CERT',
    attributes: { purpose: 'school', years_of_residence: 12 },
    channel: PHONE_CALL,
    steps: [],
  },
  {
    service: 'INCOME_CERT',
    attributes: { purpose: 'scheme', annual_income: 96000 },
    channel: PHONE_CALL,
    description: 'লক্ষ্মীর ভাণ্ডারের জন্য',
    steps: [],
  },
  {
    service: 'GARBAGE',
    attributes: {},
    channel: PHONE_CALL,
    description: 'তিন দিন ময়লা তোলা হয়নি',
    steps: [],
  },
  { service: 'STREET_LIGHT', attributes: { pole_number: '৪৭' }, channel: WALK_IN, steps: [] },
  {
    service: 'CHARACTER_CERT',
    attributes: { purpose: 'job' },
    channel: PHONE_CALL,
    steps: [[START_REVIEW]],
  },
  {
    service: 'WATER_SUPPLY',
    attributes: { details: 'কলে জল খুব কম আসে' },
    channel: PHONE_CALL,
    steps: [[START_REVIEW]],
  },
  {
    service: 'IDENTITY_CERT',
    attributes: { purpose: 'bank' },
    channel: WALK_IN,
    steps: [[START_REVIEW], [REQUEST_INFO, 'ভোটার কার্ডের ছবি পাঠান']],
  },
  {
    service: 'LEGAL_HEIR_REC',
    attributes: {
      deceased_name: 'আব্দুল করিম',
      date_of_death: '2025-08-14',
      heirs: 'রহিমা বিবি (স্ত্রী), সালমা (মেয়ে)',
    },
    channel: WALK_IN,
    steps: [[START_REVIEW], [APPROVE]],
  },
  {
    service: 'INCOME_CERT',
    attributes: { purpose: 'school', annual_income: 72000 },
    channel: PHONE_CALL,
    steps: [[START_REVIEW], [APPROVE]],
  },
  {
    service: 'BIRTH_DEATH_COPY',
    attributes: { registration_number: 'BSR/B/2019/01234' },
    channel: PHONE_CALL,
    steps: [[START_REVIEW], [APPROVE], [MARK_READY]],
  },
  {
    service: 'DRAINAGE',
    attributes: { details: 'নর্দমা উপচে রাস্তায় জল' },
    channel: PHONE_CALL,
    steps: [[START_REVIEW], [RESOLVE, 'নর্দমা পরিষ্কার করা হয়েছে']],
  },
  {
    service: 'ROAD_REPAIR',
    attributes: { details: 'মসজিদের সামনে গর্ত' },
    channel: WALK_IN,
    steps: [[START_REVIEW], [RESOLVE, 'গর্ত ভরাট হয়েছে'], [CLOSE]],
  },
  {
    service: 'TRADE_LICENCE_HELP',
    attributes: { business_name: 'মা তারা স্টোর্স' },
    channel: WALK_IN,
    steps: [[START_REVIEW], [APPROVE], [MARK_READY], [HAND_OVER]],
  },
  {
    service: 'NO_OBJECTION',
    attributes: { purpose_details: 'বাড়ির দোতলা নির্মাণ' },
    channel: PHONE_CALL,
    steps: [[REJECT, 'পৌরসভার বিল্ডিং বিভাগে আবেদন করতে হবে']],
  },
  {
    service: 'RESIDENCE_CERT',
    attributes: { purpose: 'bank', years_of_residence: 4 },
    channel: PHONE_CALL,
    steps: [[START_REVIEW], [CANCEL, 'অন্য জায়গা থেকে শংসাপত্র পেয়েছেন']],
  },
  {
    service: 'BIRTH_DEATH_COPY',
    attributes: { registration_number: 'BSR/B/2021/00417' },
    channel: PHONE_CALL,
    steps: [[START_REVIEW], [APPROVE], [MARK_READY]],
    deliver: true,
  },
];
