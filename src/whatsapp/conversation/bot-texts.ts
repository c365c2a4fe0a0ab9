import { toBengaliDigits } from '../../common/text/digits';
import { AttributeDatatype } from '../../requests/entities/service-definition';

export type Lang = 'bn' | 'en';

/** Everything the helpline bot says, in both languages. */
export const BOT_TEXTS = {
  welcome: {
    bn: (ward: string) =>
      `নমস্কার! ${ward}-এর দুয়ারে হেল্পলাইনে স্বাগত। কী দরকার, তালিকা থেকে বেছে নিন বা নম্বর লিখুন।\nযেকোনো সময় লিখুন: মেনু, অবস্থা, বাতিল, সাহায্য। For English, write English.`,
    en: (ward: string) =>
      `Hello! Welcome to the Duare helpline of ${ward}. Choose what you need from the list or write its number.\nAt any time write: menu, status, cancel, help. বাংলার জন্য লিখুন বাংলা।`,
  },
  welcomeShort: {
    bn: (ward: string) => `নমস্কার! ${ward}-এর দুয়ারে হেল্পলাইনে স্বাগত।`,
    en: (ward: string) => `Hello! Welcome to the Duare helpline of ${ward}.`,
  },
  welcomeBack: {
    bn: 'নমস্কার! আমরা যেখানে ছিলাম সেখান থেকেই চলুন।',
    en: 'Hello again! Let us carry on where we were.',
  },
  resumed: {
    bn: (service: string) => `আপনি ${service}-এর আবেদন করছিলেন। সেখান থেকেই চলুন।`,
    en: (service: string) => `You were applying for: ${service}. Let us carry on from there.`,
  },
  thanks: {
    bn: 'আপনাকেও ধন্যবাদ! আর কিছু দরকার হলে লিখবেন।',
    en: 'Thank you too! Write whenever you need anything else.',
  },
  didYouMean: {
    bn: 'আপনি কি এগুলোর কোনোটি চাইছেন? বোতাম টিপুন বা নম্বর লিখুন:',
    en: 'Do you mean one of these? Tap one or write its number:',
  },
  sendPapers: {
    bn: 'এই কাগজগুলোর ছবি বা পিডিএফ যেকোনো সময় পাঠাতে পারেন:',
    en: 'You can send photos or PDFs of these papers at any time:',
  },
  cannotSkip: {
    bn: 'এই তথ্যটি ছাড়া আবেদন জমা দেওয়া যাবে না, তাই এটি বাদ দেওয়া যাবে না।',
    en: 'The request cannot go in without this, so it cannot be skipped.',
  },
  askAge: {
    bn: 'তাহলে আপনার বয়স কত বছর?',
    en: 'Then how old are you (in years)?',
  },
  numberHint: {
    bn: (example: string) => `একটি সংখ্যা লিখুন, যেমন ${example}।`,
    en: (example: string) => `Write a number, e.g. ${example}.`,
  },
  statusTitleOne: { bn: 'আপনার আবেদন:', en: 'Your request:' },
  confirmCancel: {
    bn: (n: string) => `আবেদন ${n} কি সত্যিই বাতিল করবেন?`,
    en: (n: string) => `Do you really want to cancel request ${n}?`,
  },
  yesCancel: { bn: 'হ্যাঁ, বাতিল', en: 'Yes, cancel' },
  noKeep: { bn: 'না, থাক', en: 'No, keep it' },
  keptRequest: {
    bn: (n: string) => `ঠিক আছে, আবেদন ${n} যেমন ছিল তেমনই থাকল।`,
    en: (n: string) => `All right, request ${n} stays as it is.`,
  },
  whichToCancel: {
    bn: 'কোন আবেদনটি বাতিল করবেন? তার ট্র্যাকিং নম্বর লিখুন:',
    en: 'Which request do you want to cancel? Write its tracking number:',
  },
  whichRequest: {
    bn: 'আপনার একাধিক আবেদনে তথ্য চাওয়া হয়েছে। এটি কোনটির জন্য? নম্বর লিখুন:',
    en: 'More than one of your requests is waiting for information. Which one is this for? Write its number:',
  },
  infoReceived: {
    bn: (n: string) =>
      `ধন্যবাদ! আবেদন ${n}-এর জন্য পাঠানো তথ্য সমন্বয়কারীর কাছে পৌঁছেছে, তিনি আবার দেখছেন।`,
    en: (n: string) =>
      `Thank you! What you sent for request ${n} has reached the coordinator, who is looking at it again.`,
  },
  moreTitle: { bn: 'আরও…', en: 'More…' },
  moreDescription: { bn: 'আরও পরিষেবা দেখুন', en: 'See more services' },
  voiceNoteForStaff: {
    bn: 'আপনার ভয়েস মেসেজটি সমন্বয়কারীর কাছে পৌঁছেছে, তিনি শুনে উত্তর দেবেন। কোনো পরিষেবা চাইলে লিখে জানান বা "মেনু" লিখুন।',
    en: 'Your voice message has reached the coordinator, who will listen and answer. If you need a service, write to us or write "menu".',
  },
  sentAFile: { bn: 'ফাইল পাঠিয়েছেন', en: 'sent a file' },
  menuBody: { bn: 'কোন পরিষেবা চান?', en: 'Which service do you need?' },
  menuButton: { bn: 'পরিষেবা', en: 'Services' },
  menuSection: { bn: 'পরিষেবা', en: 'Services' },
  notAChoice: {
    bn: (max: number) => `১ থেকে ${toBengaliDigits(max)}-এর মধ্যে একটি নম্বর লিখুন, অথবা "মেনু"।`,
    en: (max: number) => `Write a number from 1 to ${max}, or "menu".`,
  },
  optionalHint: { bn: '(না দিতে চাইলে লিখুন "বাদ")', en: '(write "skip" to leave it out)' },
  chooseHint: { bn: 'নম্বর লিখে বেছে নিন:', en: 'Write the number of your choice:' },
  multiHint: {
    bn: 'এক বা একাধিক নম্বর লিখুন (যেমন ১, ৩):',
    en: 'Write one or more numbers (e.g. 1, 3):',
  },
  notUnderstood: {
    bn: (hint: string) => `দুঃখিত, বুঝতে পারিনি। ${hint}`,
    en: (hint: string) => `Sorry, I did not understand. ${hint}`,
  },
  hints: {
    bn: {
      [AttributeDatatype.NUMBER]: 'একটি সংখ্যা লিখুন (যেমন ১২০০০০)।',
      [AttributeDatatype.DATE]: 'তারিখ লিখুন দিন/মাস/বছর, যেমন ১২/০৩/১৯৯০।',
      [AttributeDatatype.SINGLE_CHOICE]: 'তালিকার একটি নম্বর লিখুন।',
      [AttributeDatatype.MULTI_CHOICE]: 'তালিকার নম্বরগুলি লিখুন, যেমন ১, ৩।',
      [AttributeDatatype.LOCATION]: 'হোয়াটসঅ্যাপে 📎 টিপে লোকেশন পাঠান, বা জায়গাটা লিখে জানান।',
      [AttributeDatatype.STRING]: 'একটু ছোট করে লিখুন।',
      [AttributeDatatype.TEXT]: 'একটু ছোট করে লিখুন।',
    },
    en: {
      [AttributeDatatype.NUMBER]: 'Write a number (e.g. 120000).',
      [AttributeDatatype.DATE]: 'Write the date as day/month/year, e.g. 12/03/1990.',
      [AttributeDatatype.SINGLE_CHOICE]: 'Write one number from the list.',
      [AttributeDatatype.MULTI_CHOICE]: 'Write the numbers from the list, e.g. 1, 3.',
      [AttributeDatatype.LOCATION]: 'Share a location (📎 in WhatsApp), or describe the place.',
      [AttributeDatatype.STRING]: 'Please write it shorter.',
      [AttributeDatatype.TEXT]: 'Please write it shorter.',
    },
  },
  required: { bn: 'এটি দরকার — ', en: 'This is needed — ' },
  fileKept: {
    bn: 'ফাইলটি পেয়েছি, আবেদনের সঙ্গে রাখা হলো।',
    en: 'Got the file; it will go with your request.',
  },
  locationKept: {
    bn: 'আপনার পাঠানো জায়গাটি পেয়েছি, সমন্বয়কারী দেখতে পাবেন।',
    en: 'Got the place you shared; the coordinator will see it.',
  },
  cannotRead: {
    bn: 'দুঃখিত, এই ধরনের বার্তা হেল্পলাইন পড়তে পারে না। লেখা, ছবি, পিডিএফ, ভয়েস মেসেজ বা লোকেশন পাঠান।',
    en: 'Sorry, the helpline cannot read this kind of message. Send text, a photo, a PDF, a voice message or a location.',
  },
  fileWithoutRequest: {
    bn: 'ফাইল পাঠানোর আগে "মেনু" থেকে একটি পরিষেবা বেছে নিন।',
    en: 'Choose a service from the "menu" first, then send the file.',
  },
  summaryTitle: { bn: 'আপনার আবেদন:', en: 'Your request:' },
  changeHint: {
    bn: 'কোনো উত্তর বদলাতে তার নম্বর লিখুন।',
    en: 'To change an answer, write its number.',
  },
  files: { bn: 'ফাইল', en: 'Files' },
  confirmQuestion: { bn: 'জমা দেব?', en: 'Shall I submit it?' },
  yes: { bn: 'হ্যাঁ', en: 'Yes' },
  no: { bn: 'না', en: 'No' },
  yesNoHint: { bn: '"হ্যাঁ" বা "না" লিখুন।', en: 'Write "yes" or "no".' },
  flowCancelled: {
    bn: 'ঠিক আছে, আবেদন জমা হয়নি। আবার শুরু করতে লিখুন "মেনু"।',
    en: 'All right, nothing was submitted. Write "menu" to start again.',
  },
  nothingToCancel: {
    bn: 'কোনো আবেদন বাতিল করতে লিখুন: বাতিল <ট্র্যাকিং নম্বর>',
    en: 'To cancel a request write: cancel <tracking number>',
  },
  requestCancelled: {
    bn: (n: string) => `আবেদন ${n} বাতিল করা হলো।`,
    en: (n: string) => `Request ${n} is cancelled.`,
  },
  cannotCancel: {
    bn: (n: string) => `আবেদন ${n} এখন আর বাতিল করা যায় না।`,
    en: (n: string) => `Request ${n} can no longer be cancelled.`,
  },
  unknownRequest: {
    bn: (n: string) => `${n} নম্বরের কোনো আবেদন আপনার নামে পাইনি।`,
    en: (n: string) => `I found no request ${n} of yours.`,
  },
  noRequests: {
    bn: 'আপনার কোনো আবেদন নেই। শুরু করতে লিখুন "মেনু"।',
    en: 'You have no requests. Write "menu" to start.',
  },
  statusTitle: { bn: 'আপনার আবেদনগুলি:', en: 'Your requests:' },
  handedOver: {
    bn: 'একজন সমন্বয়কারীকে জানানো হয়েছে, তিনি শীঘ্রই উত্তর দেবেন। এর মধ্যেও "অবস্থা", "মেনু" বা "বাতিল" লিখতে পারেন।',
    en: 'A coordinator has been told and will answer you soon. Meanwhile you can still write "status", "menu" or "cancel".',
  },
  handedOverClosed: {
    bn: (opens: string, closes: string) =>
      `সমন্বয়কারী ${opens} থেকে ${closes}-এর মধ্যে উত্তর দেন। আপনার বার্তা রাখা আছে, খোলার পর তিনি উত্তর দেবেন। এর মধ্যেও "অবস্থা", "মেনু" বা "বাতিল" লিখতে পারেন।`,
    en: (opens: string, closes: string) =>
      `The coordinator answers between ${opens} and ${closes}. Your message is saved and will be answered then. Meanwhile you can still write "status", "menu" or "cancel".`,
  },
  handedBack: {
    bn: 'সমন্বয়কারীর সঙ্গে কথা শেষ হয়েছে। আবার কিছু দরকার হলে লিখুন, যেমন "মেনু" বা "অবস্থা"।',
    en: 'The coordinator has finished. Write again whenever you need something, e.g. "menu" or "status".',
  },
  languageSet: { bn: 'এখন থেকে বাংলায় লিখব।', en: 'I will write in English from now on.' },
  fallback: {
    bn: 'বুঝতে পারিনি। পরিষেবার তালিকা দেখতে লিখুন "মেনু", আবেদনের খবর জানতে "অবস্থা"।',
    en: 'I did not understand. Write "menu" for the services, "status" for your requests.',
  },
  statusNames: {
    bn: {
      SUBMITTED: 'জমা হয়েছে',
      IN_REVIEW: 'দেখা হচ্ছে',
      NEEDS_INFO: 'আরও তথ্য দরকার',
      APPROVED: 'অনুমোদিত',
      READY: 'তৈরি',
      OUT_FOR_DELIVERY: 'পৌঁছে দেওয়া হচ্ছে',
      DELIVERED: 'হাতে পৌঁছেছে',
      RESOLVED: 'সমাধান হয়েছে',
      CLOSED: 'বন্ধ',
      REJECTED: 'মঞ্জুর হয়নি',
      CANCELLED: 'বাতিল',
    } as Record<string, string>,
    en: {
      SUBMITTED: 'submitted',
      IN_REVIEW: 'being checked',
      NEEDS_INFO: 'needs more from you',
      APPROVED: 'approved',
      READY: 'ready',
      OUT_FOR_DELIVERY: 'on its way',
      DELIVERED: 'delivered',
      RESOLVED: 'resolved',
      CLOSED: 'closed',
      REJECTED: 'not granted',
      CANCELLED: 'cancelled',
    } as Record<string, string>,
  },
} as const;

/** Numbers as the resident reads them: Bengali digits in Bengali. */
export function numeral(lang: Lang, value: number | string): string {
  return lang === 'bn' ? toBengaliDigits(value) : String(value);
}
