import { toBengaliDigits } from '../common/text/digits';
import { VERIFY_PAGE_HEADERS } from '../certificates/verification-page';
import { formatDate, formatWindow } from '../common/text/bengali-dates';
import { PAGE_WORDS, PageLanguage } from './tracking-page-text';

/** Same headers as the verification page: no scripts, not frameable, not cached, no referrer. */
export const TRACKING_PAGE_HEADERS: Record<string, string> = {
  ...VERIFY_PAGE_HEADERS,
  'x-robots-tag': 'noindex, nofollow',
};

/** What the public page may show: nothing that identifies or locates the resident. */
export interface TrackingView {
  language: PageLanguage;
  trackingNumber: string;
  serviceName: string;
  /** The given name's initial only. */
  applicantInitial: string | null;
  statusWords: string;
  nextStep: string | null;
  /** India-calendar day (YYYY-MM-DD) the outcome is promised by, while it is open. */
  dueDate: string | null;
  delivery: { date: string; windowStart: string; windowEnd: string } | null;
  verifyUrl: string | null;
  timeline: Array<{ date: string; words: string }>;
}

const escape = (value: unknown) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE = `body{font-family:sans-serif;margin:0 auto;padding:12px;max-width:560px;color:#1c1b1f;line-height:1.5;font-size:16px}
h1{font-size:1.1rem;margin:0 0 10px}.status{padding:10px 14px;border-radius:8px;background:#1f3a68;color:#fff;font-size:1.1rem;margin:0}
table{border-collapse:collapse;width:100%;margin-top:12px}td{padding:6px 4px;border-bottom:1px solid #ddd;vertical-align:top;overflow-wrap:anywhere}
td:first-child{color:#555;width:40%}ol{padding-left:20px}footer{margin-top:16px;color:#555;font-size:.8rem}`;

function layout(language: PageLanguage, body: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escape(PAGE_WORDS.title[language])}</title>
<style>${STYLE}</style>
</head><body>
<h1>${escape(PAGE_WORDS.title[language])}</h1>
${body}
</body></html>`;
}

/** A date written the reader's way (Bengali digits in Bengali). */
const day = (isoDate: string, language: PageLanguage) => formatDate(isoDate, language);

/** The request's page: small, no scripts, readable on a basic phone's browser. */
export function trackingPage(view: TrackingView): string {
  const w = (key: keyof typeof PAGE_WORDS) => PAGE_WORDS[key][view.language];
  const number =
    view.language === 'bn' ? toBengaliDigits(view.trackingNumber) : view.trackingNumber;
  const rows: Array<[string, string]> = [
    [w('trackingNumber'), escape(number)],
    [w('service'), escape(view.serviceName)],
  ];
  if (view.applicantInitial) rows.push([w('applicant'), `${escape(view.applicantInitial)}.`]);
  if (view.dueDate) rows.push([w('due'), escape(day(view.dueDate, view.language))]);
  if (view.nextStep) rows.push([w('next'), escape(view.nextStep)]);
  if (view.delivery) {
    const { date, windowStart, windowEnd } = view.delivery;
    rows.push([
      w('delivery'),
      escape(`${day(date, view.language)}, ${formatWindow(windowStart, windowEnd, view.language)}`),
    ]);
  }
  if (view.verifyUrl) {
    rows.push([
      w('certificate'),
      `<a href="${escape(view.verifyUrl)}">${escape(view.verifyUrl)}</a>`,
    ]);
  }
  const timeline = view.timeline
    .map((entry) => `<li>${escape(day(entry.date, view.language))}: ${escape(entry.words)}</li>`)
    .join('\n');
  return layout(
    view.language,
    `<p class="status" id="status">${escape(view.statusWords)}</p>
<table>${rows.map(([label, value]) => `<tr><td>${escape(label)}</td><td>${value}</td></tr>`).join('')}</table>
<h2>${escape(w('timeline'))}</h2>
<ol id="timeline">${timeline}</ol>`,
  );
}

/** An unknown, revoked or expired link: a plain page in both languages, nothing about why. */
export function trackingGonePage(): string {
  return layout(
    'bn',
    `<p id="gone">${escape(PAGE_WORDS.gone.bn)}</p><p>${escape(PAGE_WORDS.gone.en)}</p>`,
  );
}

/** Too many pages from one address. */
export function trackingBusyPage(): string {
  return layout('bn', `<p>${escape(PAGE_WORDS.busy.bn)}</p><p>${escape(PAGE_WORDS.busy.en)}</p>`);
}
