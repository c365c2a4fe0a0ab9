import { formatWindow } from '../../common/text/bengali-dates';
import { ServiceHours, Weekday } from '../../wards/entities/service-hours.type';

/** The placeholders a canned reply may use. */
export const CANNED_PLACEHOLDERS = ['residentName', 'trackingNumber', 'wardHours'] as const;
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Problems with a text's placeholders: unknown names, or braces that open no placeholder. */
export function placeholderProblems(text: string): string[] {
  const problems: string[] = [];
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (!(CANNED_PLACEHOLDERS as readonly string[]).includes(name)) {
      problems.push(
        `unknown placeholder {{${name}}}: use ${CANNED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      );
    }
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    problems.push('a placeholder is not closed: write it as {{residentName}}');
  }
  return problems;
}

/** The placeholders a text uses. */
export function placeholdersIn(text: string): Set<CannedPlaceholder> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as CannedPlaceholder));
}

/** Fills a checked text's placeholders. */
export function fillPlaceholders(
  text: string,
  values: Partial<Record<CannedPlaceholder, string>>,
): string {
  return text.replace(PLACEHOLDER, (_match, name: CannedPlaceholder) => values[name] ?? '');
}

/** Monday first, as the enum lists them. */
const DAY_ORDER = Object.values(Weekday);
const DAY_NAMES: Record<'bn' | 'en', Record<Weekday, string>> = {
  bn: {
    MON: 'সোম',
    TUE: 'মঙ্গল',
    WED: 'বুধ',
    THU: 'বৃহস্পতি',
    FRI: 'শুক্র',
    SAT: 'শনি',
    SUN: 'রবি',
  },
  en: { MON: 'Mon', TUE: 'Tue', WED: 'Wed', THU: 'Thu', FRI: 'Fri', SAT: 'Sat', SUN: 'Sun' },
};

/** A ward's hours as a clerk writes them: "সোম–শনি, সকাল ১০টা–বিকেল ৫টা" / "Mon–Sat, 10 am–5 pm". */
export function formatServiceHours(hours: ServiceHours, lang: 'bn' | 'en'): string {
  const open = DAY_ORDER.map((day) => hours.days.includes(day));
  const names = DAY_NAMES[lang];
  let days: string;
  if (open.every(Boolean)) days = lang === 'bn' ? 'প্রতিদিন' : 'every day';
  else {
    const first = open.indexOf(true);
    const last = open.lastIndexOf(true);
    const contiguous = first >= 0 && open.slice(first, last + 1).every(Boolean);
    days =
      contiguous && last - first >= 2
        ? `${names[DAY_ORDER[first]]}–${names[DAY_ORDER[last]]}`
        : DAY_ORDER.filter((_d, i) => open[i])
            .map((d) => names[d])
            .join(', ');
  }
  return `${days}, ${formatWindow(hours.opensAt, hours.closesAt, lang)}`;
}
