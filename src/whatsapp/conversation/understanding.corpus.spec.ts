import { DEMO_CATALOGUE } from '../../demo/demo-catalogue';
import { naturalDate, naturalNumber, naturalYesNo } from './natural-answers';
import { intentOf, Intent, understandService } from './understanding';

/**
 * How residents of a West Bengal town write to a ward helpline on WhatsApp, labelled by hand:
 * what they want, or the value they mean. Written as people write (Bengali with and without
 * conjuncts, Banglish spelt every way, English, typos, Bengali and Latin digits), not from
 * the bot's keyword lists. The bot must read at least 95 % of them right.
 */
type Labelled =
  | { text: string; service: string }
  | { text: string; intent: Intent }
  | { text: string; number: number }
  | { text: string; date: string }
  | { text: string; yes: boolean };

const CORPUS: Labelled[] = [
  // Residence certificate
  { text: 'আমার একটা বসবাসের সার্টিফিকেট লাগবে', service: 'RESIDENCE_CERT' },
  { text: 'বসবাসের সার্টিফিকেট', service: 'RESIDENCE_CERT' },
  { text: 'amar residence certificate lagbe', service: 'RESIDENCE_CERT' },
  { text: 'Residence certificate chai', service: 'RESIDENCE_CERT' },
  { text: 'basobas certificate kivabe pabo', service: 'RESIDENCE_CERT' },
  { text: 'bosobas er sertifiket', service: 'RESIDENCE_CERT' },
  { text: 'বাসস্থান শংসাপত্র চাই', service: 'RESIDENCE_CERT' },
  { text: 'I need a residential certificate for my son', service: 'RESIDENCE_CERT' },
  { text: 'domicile certificate', service: 'RESIDENCE_CERT' },
  { text: 'ঠিকানার প্রমাণ হিসেবে একটা কাগজ দরকার', service: 'RESIDENCE_CERT' },
  { text: 'residense certificat', service: 'RESIDENCE_CERT' },
  { text: 'basosthan sonshapotro', service: 'RESIDENCE_CERT' },
  { text: 'বসবাস প্রমানপত্র', service: 'RESIDENCE_CERT' },
  { text: 'address proof certificate dorkar', service: 'RESIDENCE_CERT' },
  { text: 'রেসিডেন্স সার্টিফিকেট', service: 'RESIDENCE_CERT' },
  { text: 'residence', service: 'RESIDENCE_CERT' },
  { text: 'Dada basobas er certificate ta kobe pabo?', service: 'RESIDENCE_CERT' },
  { text: 'স্কুলে ভর্তির জন্য বসবাসের শংসাপত্র লাগবে', service: 'RESIDENCE_CERT' },
  { text: 'Residential certificate apply korte chai', service: 'RESIDENCE_CERT' },
  { text: 'বসবাসের সাটিফিকেট', service: 'RESIDENCE_CERT' },
  // Income certificate
  { text: 'ami ki bhabe income certificate pabo?', service: 'INCOME_CERT' },
  { text: 'আয়ের সার্টিফিকেট চাই', service: 'INCOME_CERT' },
  { text: 'income certificate', service: 'INCOME_CERT' },
  { text: 'ইনকাম সার্টিফিকেট লাগবে ব্যাংকের জন্য', service: 'INCOME_CERT' },
  { text: 'aay er certificate', service: 'INCOME_CERT' },
  { text: 'Income sertificate dorkar scholarship er jonno', service: 'INCOME_CERT' },
  { text: 'আয় শংসাপত্র', service: 'INCOME_CERT' },
  { text: 'inkam certificate', service: 'INCOME_CERT' },
  { text: 'need income proof certificate', service: 'INCOME_CERT' },
  { text: 'আমার বাবার আয়ের প্রমাণপত্র দরকার', service: 'INCOME_CERT' },
  { text: 'incom certificate kivabe korbo', service: 'INCOME_CERT' },
  { text: 'ইনকাম সাটিফিকেট', service: 'INCOME_CERT' },
  { text: 'Annual income certificate for loan', service: 'INCOME_CERT' },
  { text: 'আয়ের শংসাপত্রের আবেদন', service: 'INCOME_CERT' },
  // Character certificate
  { text: 'চারিত্রিক সার্টিফিকেট লাগবে চাকরির জন্য', service: 'CHARACTER_CERT' },
  { text: 'character certificate', service: 'CHARACTER_CERT' },
  { text: 'charitrik certificate chai', service: 'CHARACTER_CERT' },
  { text: 'চরিত্রের শংসাপত্র', service: 'CHARACTER_CERT' },
  { text: 'good conduct certificate needed', service: 'CHARACTER_CERT' },
  { text: 'caracter certificate', service: 'CHARACTER_CERT' },
  { text: 'charitra sonshapotro', service: 'CHARACTER_CERT' },
  { text: 'ক্যারেক্টার সার্টিফিকেট', service: 'CHARACTER_CERT' },
  // Identity certificate
  { text: 'পরিচয়পত্র দরকার', service: 'IDENTITY_CERT' },
  { text: 'identity certificate', service: 'IDENTITY_CERT' },
  { text: 'porichoy potro lagbe', service: 'IDENTITY_CERT' },
  { text: 'পরিচয় শংসাপত্র চাই', service: 'IDENTITY_CERT' },
  { text: 'ID proof certificate from councillor', service: 'IDENTITY_CERT' },
  { text: 'identiti certificate', service: 'IDENTITY_CERT' },
  { text: 'আইডেন্টিটি সার্টিফিকেট', service: 'IDENTITY_CERT' },
  // Legal heir
  { text: 'ওয়ারিশ সার্টিফিকেট লাগবে', service: 'LEGAL_HEIR_REC' },
  { text: 'warish certificate', service: 'LEGAL_HEIR_REC' },
  { text: 'বাবা মারা গেছেন, ওয়ারিশ সুপারিশ চাই', service: 'LEGAL_HEIR_REC' },
  { text: 'legal heir certificate', service: 'LEGAL_HEIR_REC' },
  { text: 'waris certificate kivabe pabo', service: 'LEGAL_HEIR_REC' },
  { text: 'উত্তরাধিকার সার্টিফিকেট', service: 'LEGAL_HEIR_REC' },
  { text: 'heir certificate for bank account of my late husband', service: 'LEGAL_HEIR_REC' },
  { text: 'oyarish', service: 'LEGAL_HEIR_REC' },
  // Home birth / death registration recommendation
  { text: 'বাড়িতে জন্ম হয়েছে, নিবন্ধনের সুপারিশ চাই', service: 'HOME_BIRTH_DEATH_REC' },
  { text: 'baby born at home, need birth registration', service: 'HOME_BIRTH_DEATH_REC' },
  { text: 'barite jonmo hoyeche registration korbo', service: 'HOME_BIRTH_DEATH_REC' },
  { text: 'বাড়িতে মৃত্যু হয়েছে, রেজিস্ট্রেশন', service: 'HOME_BIRTH_DEATH_REC' },
  { text: 'home death registration recommendation', service: 'HOME_BIRTH_DEATH_REC' },
  { text: 'জন্ম নিবন্ধন', service: 'HOME_BIRTH_DEATH_REC' },
  // No objection
  { text: 'অনাপত্তি পত্র লাগবে', service: 'NO_OBJECTION' },
  { text: 'NOC chai', service: 'NO_OBJECTION' },
  { text: 'no objection certificate', service: 'NO_OBJECTION' },
  { text: 'onapotti potro', service: 'NO_OBJECTION' },
  { text: 'need NOC for electricity connection', service: 'NO_OBJECTION' },
  { text: 'এনওসি', service: 'NO_OBJECTION' },
  // Birth / death certificate copy
  { text: 'জন্ম সনদের কপি চাই', service: 'BIRTH_DEATH_COPY' },
  { text: 'birth certificate er copy', service: 'BIRTH_DEATH_COPY' },
  { text: 'death certificate copy lagbe', service: 'BIRTH_DEATH_COPY' },
  { text: 'jonmo sonod hariye geche', service: 'BIRTH_DEATH_COPY' },
  { text: 'duplicate birth certificate', service: 'BIRTH_DEATH_COPY' },
  { text: 'মৃত্যু সনদ', service: 'BIRTH_DEATH_COPY' },
  { text: 'জন্মের সার্টিফিকেটের প্রতিলিপি', service: 'BIRTH_DEATH_COPY' },
  // Trade licence
  { text: 'ট্রেড লাইসেন্স করব', service: 'TRADE_LICENCE_HELP' },
  { text: 'trade license renew korte chai', service: 'TRADE_LICENCE_HELP' },
  { text: 'দোকানের লাইসেন্স', service: 'TRADE_LICENCE_HELP' },
  { text: 'new shop licence help', service: 'TRADE_LICENCE_HELP' },
  { text: 'dokaner trade licens', service: 'TRADE_LICENCE_HELP' },
  { text: 'ব্যবসার লাইসেন্স দরকার', service: 'TRADE_LICENCE_HELP' },
  { text: 'tred licence', service: 'TRADE_LICENCE_HELP' },
  // Water supply
  { text: 'জল আসছে না দুদিন ধরে', service: 'WATER_SUPPLY' },
  { text: 'amader parai jol asche na', service: 'WATER_SUPPLY' },
  { text: 'no water supply since morning', service: 'WATER_SUPPLY' },
  { text: 'কলের জল খুব নোংরা আসছে', service: 'WATER_SUPPLY' },
  { text: 'টিউবওয়েল খারাপ', service: 'WATER_SUPPLY' },
  { text: 'water pipe leak hocche rastay', service: 'WATER_SUPPLY' },
  { text: 'পানি আসে না', service: 'WATER_SUPPLY' },
  { text: 'tap e jol nei', service: 'WATER_SUPPLY' },
  { text: 'জলের লাইন ফেটে গেছে', service: 'WATER_SUPPLY' },
  { text: 'drinking water problem', service: 'WATER_SUPPLY' },
  { text: 'jol er line kharap', service: 'WATER_SUPPLY' },
  { text: 'জল সরবরাহ', service: 'WATER_SUPPLY' },
  // Drainage
  { text: 'ড্রেন উপচে পড়ছে', service: 'DRAINAGE' },
  { text: 'nordoma bondho hoye geche', service: 'DRAINAGE' },
  { text: 'drain blocked in front of my house', service: 'DRAINAGE' },
  { text: 'বৃষ্টির পর রাস্তায় জল জমে আছে, নিকাশি নেই', service: 'DRAINAGE' },
  { text: 'নর্দমা পরিষ্কার হয়নি', service: 'DRAINAGE' },
  { text: 'nala jam', service: 'DRAINAGE' },
  { text: 'sewer overflow', service: 'DRAINAGE' },
  { text: 'drainage problem', service: 'DRAINAGE' },
  { text: 'নিকাশি নালা ভাঙা', service: 'DRAINAGE' },
  { text: 'dren block', service: 'DRAINAGE' },
  // Street light
  { text: 'রাস্তার আলো জ্বলছে না', service: 'STREET_LIGHT' },
  { text: 'street light kharap', service: 'STREET_LIGHT' },
  { text: 'amader golir light jolche na', service: 'STREET_LIGHT' },
  { text: 'পথবাতি নষ্ট', service: 'STREET_LIGHT' },
  { text: 'streetlight not working for a week', service: 'STREET_LIGHT' },
  { text: 'ল্যাম্পপোস্টের বাতি কেটে গেছে', service: 'STREET_LIGHT' },
  { text: 'rastar alo nei', service: 'STREET_LIGHT' },
  { text: 'স্ট্রিট লাইট', service: 'STREET_LIGHT' },
  { text: 'street lite', service: 'STREET_LIGHT' },
  { text: 'lamp post er bati', service: 'STREET_LIGHT' },
  // Garbage
  { text: 'ময়লা নিতে গাড়ি আসেনি', service: 'GARBAGE' },
  { text: 'garbage not collected', service: 'GARBAGE' },
  { text: 'moyla felar gari ase na', service: 'GARBAGE' },
  { text: 'রাস্তায় আবর্জনার স্তূপ', service: 'GARBAGE' },
  { text: 'jonjal poriskar hoyni', service: 'GARBAGE' },
  { text: 'dustbin full', service: 'GARBAGE' },
  { text: 'trash pile near school', service: 'GARBAGE' },
  { text: 'জঞ্জাল জমে আছে', service: 'GARBAGE' },
  { text: 'garbej', service: 'GARBAGE' },
  { text: 'নোংরা ফেলে রেখে গেছে', service: 'GARBAGE' },
  // Road repair
  { text: 'রাস্তায় বড় গর্ত', service: 'ROAD_REPAIR' },
  { text: 'rasta venge geche', service: 'ROAD_REPAIR' },
  { text: 'road repair needed near market', service: 'ROAD_REPAIR' },
  { text: 'pothole on main road', service: 'ROAD_REPAIR' },
  { text: 'রাস্তা মেরামত', service: 'ROAD_REPAIR' },
  { text: 'amader parar rasta kharap', service: 'ROAD_REPAIR' },
  { text: 'গলির রাস্তা ভাঙা', service: 'ROAD_REPAIR' },
  { text: 'broken road', service: 'ROAD_REPAIR' },
  // Intents
  { text: 'হ্যালো', intent: 'GREETING' },
  { text: 'Hi', intent: 'GREETING' },
  { text: 'hello', intent: 'GREETING' },
  { text: 'নমস্কার', intent: 'GREETING' },
  { text: 'Namaskar', intent: 'GREETING' },
  { text: 'আসসালামু আলাইকুম', intent: 'GREETING' },
  { text: 'Good morning', intent: 'GREETING' },
  { text: 'ধন্যবাদ', intent: 'THANKS' },
  { text: 'thank you', intent: 'THANKS' },
  { text: 'Thanks', intent: 'THANKS' },
  { text: 'dhonnobad', intent: 'THANKS' },
  { text: 'অনেক ধন্যবাদ', intent: 'THANKS' },
  { text: 'অবস্থা', intent: 'STATUS' },
  { text: 'status?', intent: 'STATUS' },
  { text: 'আমার আবেদনের কী অবস্থা?', intent: 'STATUS' },
  { text: 'অবস্থা জানতে চাই', intent: 'STATUS' },
  { text: 'amar application er ki obostha', intent: 'STATUS' },
  { text: 'certificate ta kotodur?', intent: 'STATUS' },
  { text: 'Status', intent: 'STATUS' },
  { text: 'আবেদন কোথায় আছে', intent: 'STATUS' },
  { text: 'any update on my request?', intent: 'STATUS' },
  { text: 'বাতিল করুন', intent: 'CANCEL' },
  { text: 'আবেদনটা বাতিল করতে চাই', intent: 'CANCEL' },
  { text: 'cancel', intent: 'CANCEL' },
  { text: 'please cancel my application', intent: 'CANCEL' },
  { text: 'batil korun', intent: 'CANCEL' },
  { text: 'কারো সাথে কথা বলা যাবে?', intent: 'HUMAN' },
  { text: 'কাউন্সিলরের সাথে কথা বলতে চাই', intent: 'HUMAN' },
  { text: 'please call me', intent: 'HUMAN' },
  { text: 'amake ekta phone korun', intent: 'HUMAN' },
  { text: 'I want to talk to a person', intent: 'HUMAN' },
  { text: 'সাহায্য', intent: 'HUMAN' },
  { text: 'help', intent: 'HUMAN' },
  { text: 'councillor er sathe kotha bolte chai', intent: 'HUMAN' },
  { text: 'মেনু', intent: 'MENU' },
  { text: 'menu', intent: 'MENU' },
  { text: 'নতুন করে শুরু করুন', intent: 'RESTART' },
  { text: 'restart', intent: 'RESTART' },
  { text: 'abar shuru theke', intent: 'RESTART' },
  { text: 'English', intent: 'ENGLISH' },
  { text: 'ইংরেজিতে বলুন', intent: 'ENGLISH' },
  { text: 'বাংলা', intent: 'BENGALI' },
  { text: 'Bangla', intent: 'BENGALI' },
  { text: 'বাদ', intent: 'SKIP' },
  { text: 'skip', intent: 'SKIP' },
  { text: 'জানি না', intent: 'SKIP' },
  // Numbers
  { text: '৩৫ বছর', number: 35 },
  { text: '35 years', number: 35 },
  { text: '১,২০,০০০', number: 120000 },
  { text: '1.2 lakh', number: 120000 },
  { text: '১ লাখ ২০ হাজার', number: 120000 },
  { text: '১২০০০০ টাকা', number: 120000 },
  { text: 'Rs. 50,000', number: 50000 },
  { text: '৮০ হাজার', number: 80000 },
  { text: '2 lakh', number: 200000 },
  { text: 'প্রায় ২০ বছর', number: 20 },
  { text: '12 bochor', number: 12 },
  { text: '৬০০০০', number: 60000 },
  { text: '1,50,000/-', number: 150000 },
  { text: '৭৫০০০ টাকা মতো', number: 75000 },
  { text: '10 bochor dhore', number: 10 },
  // Dates
  { text: '১২ মার্চ ২০২৬', date: '2026-03-12' },
  { text: '12/3/26', date: '2026-03-12' },
  { text: '১২-০৩-২০২৬', date: '2026-03-12' },
  { text: '12 March 2026', date: '2026-03-12' },
  { text: 'March 12, 2026', date: '2026-03-12' },
  { text: '৫ জানুয়ারি ১৯৯০', date: '1990-01-05' },
  { text: '05.01.1990', date: '1990-01-05' },
  { text: '3rd Feb 2025', date: '2025-02-03' },
  { text: '২০ আগস্ট ২০২৪', date: '2024-08-20' },
  { text: '1/12/1985', date: '1985-12-01' },
  { text: '৩০শে জুন ২০২৬', date: '2026-06-30' },
  { text: '15 aug 1947', date: '1947-08-15' },
  // Yes / no
  { text: 'হ্যাঁ', yes: true },
  { text: 'হ্যা', yes: true },
  { text: 'হুম', yes: true },
  { text: 'ঠিক আছে', yes: true },
  { text: 'ok', yes: true },
  { text: 'Okay', yes: true },
  { text: '👍', yes: true },
  { text: 'haan', yes: true },
  { text: 'hya thik ache', yes: true },
  { text: 'জমা দিন', yes: true },
  { text: 'yes please', yes: true },
  { text: 'না', yes: false },
  { text: 'no', yes: false },
  { text: 'না থাক', yes: false },
  { text: 'na', yes: false },
  { text: 'nah', yes: false },
];

const SERVICES = DEMO_CATALOGUE.map((s) => ({
  id: s.code,
  nameBn: s.definition.nameBn,
  nameEn: s.definition.nameEn,
  keywords: s.definition.keywords ?? [],
}));

function read(entry: Labelled): unknown {
  if ('service' in entry) return understandService(entry.text, SERVICES).certain;
  if ('intent' in entry) return intentOf(entry.text);
  if ('number' in entry) return naturalNumber(entry.text);
  if ('date' in entry) return naturalDate(entry.text, new Date('2026-12-03T00:00:00Z'));
  return naturalYesNo(entry.text);
}

function expected(entry: Labelled): unknown {
  if ('service' in entry) return entry.service;
  if ('intent' in entry) return entry.intent;
  if ('number' in entry) return entry.number;
  if ('date' in entry) return entry.date;
  return entry.yes;
}

describe('the helpline reads residents’ messages (labelled corpus)', () => {
  it('has at least 200 labelled messages', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
  });

  it('reads at least 95 % of them right', () => {
    const wrong = CORPUS.filter((entry) => read(entry) !== expected(entry)).map((entry) => ({
      text: entry.text,
      expected: expected(entry),
      got: read(entry),
    }));
    const correct = (CORPUS.length - wrong.length) / CORPUS.length;
    // The misses are printed so the next change to the matcher sees what it gets wrong.
    if (wrong.length > 0) console.log(`${wrong.length} misses:\n${JSON.stringify(wrong, null, 1)}`);
    expect(correct).toBeGreaterThanOrEqual(0.95);
  });

  it('never takes a service message for a status question, nor the reverse', () => {
    for (const entry of CORPUS) {
      if ('service' in entry)
        expect({ text: entry.text, intent: intentOf(entry.text) }).not.toEqual({
          text: entry.text,
          intent: 'STATUS',
        });
    }
  });
});
