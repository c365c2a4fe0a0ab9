// Common given names and surnames of the area; combinations are invented people.
const GIVEN = [
  'রহিম',
  'করিম',
  'সালমা',
  'ফাতিমা',
  'আব্দুল',
  'রাজিয়া',
  'সুমন',
  'মিতা',
  'অনিল',
  'পূজা',
  'রাকিব',
  'নাসরিন',
  'দীপক',
  'শম্পা',
  'ইমরান',
  'রিনা',
  'সুব্রত',
  'মৌসুমী',
  'জাহির',
  'তানিয়া',
];
const SURNAMES = [
  'শেখ',
  'মণ্ডল',
  'বিশ্বাস',
  'খাতুন',
  'রায়',
  'দাস',
  'ঘোষ',
  'গাজী',
  'সরকার',
  'বিবি',
  'মোল্লা',
  'পাল',
  'হালদার',
  'বেগম',
  'দত্ত',
];
const LOCALITIES = ['ইটিন্ডা রোড', 'ত্রিমোহিনী', 'ভ্যাবলা', 'মির্জাপুর', 'নৈহাটি পাড়া'];
// The same in Latin letters, as staff would confirm them for certificates' English text.
const GIVEN_EN = [
  'Rahim',
  'Karim',
  'Salma',
  'Fatima',
  'Abdul',
  'Razia',
  'Suman',
  'Mita',
  'Anil',
  'Puja',
  'Rakib',
  'Nasrin',
  'Dipak',
  'Shampa',
  'Imran',
  'Rina',
  'Subrata',
  'Mousumi',
  'Jahir',
  'Tania',
];
const SURNAMES_EN = [
  'Sheikh',
  'Mondal',
  'Biswas',
  'Khatun',
  'Roy',
  'Das',
  'Ghosh',
  'Gazi',
  'Sarkar',
  'Bibi',
  'Molla',
  'Pal',
  'Halder',
  'Begum',
  'Dutta',
];
const LOCALITIES_EN = ['Itinda Road', 'Trimohini', 'Bhyabla', 'Mirzapur', 'Naihati Para'];
const CSV_HEADER =
  'ward_number,full_name,alt_name,guardian_name,guardian_name_en,guardian_relation,phone,house_number,locality,post_office,pin_code,address_en\n';

/**
 * A CSV of invented residents for the demo ward, fed through the real import. Phone
 * numbers are invented (+91 70001 xxxxx), written the local way with Bengali digits.
 */
export function demoResidentsCsv(wardNumber: number, count: number): string {
  const lines = [CSV_HEADER];
  for (let i = 0; i < count; i += 1) {
    const name = `${GIVEN[i % GIVEN.length]} ${SURNAMES[Math.floor(i / GIVEN.length) % SURNAMES.length]}`;
    const nameEn = `${GIVEN_EN[i % GIVEN.length]} ${SURNAMES_EN[Math.floor(i / GIVEN.length) % SURNAMES.length]}`;
    const guardian = `${GIVEN[(i * 7 + 3) % GIVEN.length]} ${SURNAMES[(i * 3) % SURNAMES.length]}`;
    const guardianEn = `${GIVEN_EN[(i * 7 + 3) % GIVEN.length]} ${SURNAMES_EN[(i * 3) % SURNAMES.length]}`;
    const phone = toBengaliDigits(Number(`700010${String(i).padStart(4, '0')}`));
    const holding = toBengaliDigits(1 + (i % 400));
    lines.push(
      `${wardNumber},${name},${nameEn},${guardian},${guardianEn},পিতা,০${phone},${holding},${LOCALITIES[i % LOCALITIES.length]},বসিরহাট,743411,"${1 + (i % 400)}, ${LOCALITIES_EN[i % LOCALITIES.length]}, Basirhat, 743411"\n`,
    );
  }
  return lines.join('');
}
import { toBengaliDigits } from '../common/text/digits';
