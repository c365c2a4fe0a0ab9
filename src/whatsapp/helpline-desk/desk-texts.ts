/** What the helpline says about announcements, in Bengali and English. */
export const DESK_TEXTS = {
  optedOut: {
    bn: 'ঠিক আছে, আপনাকে আর ওয়ার্ডের ঘোষণা পাঠানো হবে না। আপনার নিজের আবেদনের খবর আগের মতোই পাবেন। আবার ঘোষণা পেতে চাইলে "চালু" লিখে পাঠান।',
    en: 'Done: you will no longer receive ward announcements. News about your own requests will still reach you. To receive announcements again, send "START".',
  },
  optedIn: {
    bn: 'ঠিক আছে, আবার ওয়ার্ডের ঘোষণা পাবেন। বন্ধ করতে চাইলে "বন্ধ" লিখে পাঠান।',
    en: 'Done: you will receive ward announcements again. To stop them, send "STOP".',
  },
  replyReceived: {
    bn: 'ধন্যবাদ। ঘোষণা নিয়ে আপনার বার্তা ওয়ার্ড অফিসে পৌঁছে গেছে, কর্মীরা দেখে উত্তর দেবেন।',
    en: 'Thank you. Your message about the announcement has reached the ward office; the staff will read it and answer.',
  },
} as const;

const STOP = /^\s*(stop|বন্ধ|বন্ধ করুন)[\s.!।]*$/iu;
const START = /^\s*(start|চালু|চালু করুন)[\s.!।]*$/iu;

/** A keyword about announcements, and the language to answer in (the keyword's own). */
export function announcementKeyword(text: string): { optOut: boolean; lang: 'bn' | 'en' } | null {
  const stop = STOP.exec(text);
  if (stop) return { optOut: true, lang: /[a-z]/i.test(stop[1]) ? 'en' : 'bn' };
  const start = START.exec(text);
  if (start) return { optOut: false, lang: /[a-z]/i.test(start[1]) ? 'en' : 'bn' };
  return null;
}
