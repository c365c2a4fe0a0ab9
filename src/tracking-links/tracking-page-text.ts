import { RequestStatus } from '../requests/entities/request-enums';
import { ServiceCategory } from '../requests/entities/service-definition';

export type PageLanguage = 'bn' | 'en';
type Words = Record<PageLanguage, string>;

/** A status as a resident understands it (not the workflow's code). */
export const STATUS_WORDS: Record<RequestStatus, Words> = {
  SUBMITTED: { bn: 'আবেদন জমা পড়েছে', en: 'Received' },
  IN_REVIEW: { bn: 'আবেদন দেখা হচ্ছে', en: 'Being checked' },
  NEEDS_INFO: { bn: 'আপনার কাছ থেকে আরও তথ্য দরকার', en: 'Waiting for something from you' },
  APPROVED: { bn: 'অনুমোদিত, কাজ চলছে', en: 'Approved, in hand' },
  READY: { bn: 'তৈরি', en: 'Ready' },
  OUT_FOR_DELIVERY: { bn: 'বাড়িতে পৌঁছে দিতে রওনা হয়েছে', en: 'On its way to your door' },
  DELIVERED: { bn: 'আপনার হাতে পৌঁছেছে', en: 'Handed to you' },
  RESOLVED: { bn: 'সমাধান হয়েছে', en: 'Resolved' },
  CLOSED: { bn: 'শেষ হয়েছে', en: 'Finished' },
  REJECTED: { bn: 'মঞ্জুর করা যায়নি', en: 'Not granted' },
  CANCELLED: { bn: 'বাতিল হয়েছে', en: 'Cancelled' },
};

/** What happens next and who does it; null once the request has its outcome. */
export function nextStepWords(status: RequestStatus, category: ServiceCategory): Words | null {
  switch (status) {
    case RequestStatus.SUBMITTED:
    case RequestStatus.IN_REVIEW:
      return {
        bn: 'ওয়ার্ডের কোঅর্ডিনেটর আপনার আবেদন দেখবেন।',
        en: 'The ward coordinator checks your request.',
      };
    case RequestStatus.NEEDS_INFO:
      return {
        bn: 'আপনি: যা চাওয়া হয়েছে তা হোয়াটসঅ্যাপে পাঠান বা অফিসে ফোন করুন।',
        en: 'You: send what was asked for on WhatsApp, or phone the office.',
      };
    case RequestStatus.APPROVED:
      return category === ServiceCategory.CERTIFICATE
        ? {
            bn: 'পৌরসভার আধিকারিক শংসাপত্রে সই করবেন।',
            en: 'The municipal officer signs the certificate.',
          }
        : { bn: 'ওয়ার্ডের কর্মীরা কাজটি করবেন।', en: 'The ward’s team does the work.' };
    case RequestStatus.READY:
      return {
        bn: 'অফিস থেকে নিতে পারেন, অথবা বাড়িতে পৌঁছে দেওয়ার ব্যবস্থা হবে।',
        en: 'Collect it at the office, or it will be brought to your door.',
      };
    case RequestStatus.OUT_FOR_DELIVERY:
      return {
        bn: 'কর্মী বাড়িতে আসবেন; পাঠানো কোডটি হাতের কাছে রাখুন।',
        en: 'The field agent comes to your door; keep the code you were sent at hand.',
      };
    default:
      return null;
  }
}

/** The page's fixed words. */
export const PAGE_WORDS = {
  title: { bn: 'দুয়ারে · আবেদনের খবর', en: 'Duare · Request status' },
  trackingNumber: { bn: 'ট্র্যাকিং নম্বর', en: 'Tracking number' },
  service: { bn: 'পরিষেবা', en: 'Service' },
  status: { bn: 'অবস্থা', en: 'Status' },
  applicant: { bn: 'আবেদনকারী', en: 'Applicant' },
  due: { bn: 'জানানোর শেষ দিন', en: 'Promised by' },
  next: { bn: 'এরপর', en: 'Next' },
  delivery: { bn: 'বাড়িতে পৌঁছানোর সময়', en: 'Delivery window' },
  certificate: { bn: 'শংসাপত্র যাচাই', en: 'Check the certificate' },
  timeline: { bn: 'কী কী হয়েছে', en: 'What has happened' },
  gone: {
    bn: 'এই লিঙ্কটি আর চালু নেই। আবেদনের খবর জানতে ওয়ার্ড অফিসে ফোন করুন বা হোয়াটসঅ্যাপে লিখুন।',
    en: 'This link no longer works. Phone the ward office or write on WhatsApp to hear about your request.',
  },
  busy: {
    bn: 'অনেকবার চেষ্টা হয়েছে, একটু পরে আবার চেষ্টা করুন।',
    en: 'Too many tries; please try again shortly.',
  },
} satisfies Record<string, Words>;
