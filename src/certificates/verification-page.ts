import { toBengaliDigits } from '../common/text/digits';
import { formatDateBn, formatDateEn, shortReference } from './certificate-content';
import { CertificateVerification, PublicCertificateStatus } from './dto/certificate.dto';

const escape = (value: unknown) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Where the page's fonts are served (by the app itself: Bengali never depends on the device). */
export const VERIFY_ASSETS = '/verify-assets';

/**
 * Headers of every verification page: no scripts, fonts and styles of its own, forms only to
 * itself, never inside another site's frame.
 */
export const VERIFY_PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const VERDICT: Record<
  PublicCertificateStatus,
  { bn: string; en: string; color: string; mark: string }
> = {
  VALID: { bn: 'বৈধ শংসাপত্র', en: 'Valid certificate', color: '#1b7f3b', mark: '✔' },
  REVOKED: {
    bn: 'বাতিল করা হয়েছে — গ্রহণ করবেন না',
    en: 'REVOKED — do not accept this certificate',
    color: '#b3261e',
    mark: '✖',
  },
  SUPERSEDED: {
    bn: 'বাতিল: নতুন শংসাপত্রে প্রতিস্থাপিত',
    en: 'NO LONGER VALID — replaced by a corrected certificate',
    color: '#a15c00',
    mark: '!',
  },
  EXPIRED: { bn: 'মেয়াদ শেষ', en: 'Expired', color: '#a15c00', mark: '!' },
  UNKNOWN: {
    bn: 'এই নম্বর ও কোডের কোনো শংসাপত্র নেই',
    en: 'No certificate with this number and code',
    color: '#b3261e',
    mark: '?',
  },
};

const STYLE = `@font-face{font-family:'Noto Sans Bengali';font-weight:400;font-display:block;src:url(${VERIFY_ASSETS}/noto-sans-bengali-400.woff2) format('woff2')}
@font-face{font-family:'Noto Sans Bengali';font-weight:700;font-display:block;src:url(${VERIFY_ASSETS}/noto-sans-bengali-700.woff2) format('woff2')}
@font-face{font-family:'Noto Sans';font-weight:400;font-display:block;src:url(${VERIFY_ASSETS}/noto-sans-400.woff2) format('woff2')}
@font-face{font-family:'Noto Sans';font-weight:700;font-display:block;src:url(${VERIFY_ASSETS}/noto-sans-700.woff2) format('woff2')}
*{box-sizing:border-box}
body{font-family:'Noto Sans','Noto Sans Bengali',sans-serif;margin:0 auto;padding:16px;max-width:600px;color:#1c1b1f;line-height:1.5;font-size:16px}
h1{font-size:1.15rem;margin:0 0 12px}
.verdict{padding:12px 16px;border-radius:8px;color:#fff;font-size:1.1rem;margin:0}
.verdict .mark{font-size:1.6rem;float:right;line-height:1}
.replaced{margin:8px 0 0;padding:10px 16px;border:2px solid #a15c00;border-radius:8px;font-weight:700}
table{border-collapse:collapse;width:100%;margin-top:16px}
td{padding:6px 4px;border-bottom:1px solid #ddd;vertical-align:top;overflow-wrap:anywhere}
td:first-child{color:#555;width:40%}
.number td+td{white-space:nowrap;font-weight:700}
form{margin-top:20px;padding:12px 16px;border:1px solid #ccc;border-radius:8px;background:#f7f7f7}
label{display:block;margin:8px 0 2px;font-weight:700}
input{width:100%;font:inherit;padding:8px;border:1px solid #888;border-radius:6px;text-transform:uppercase}
button{margin-top:12px;font:inherit;font-weight:700;padding:8px 20px;border:0;border-radius:6px;background:#1f3a68;color:#fff}
.hint{color:#555;font-size:.875rem;margin:4px 0 0}
.error{color:#b3261e;font-weight:700}
footer{margin-top:20px;color:#555;font-size:.8rem}
@media print{body{max-width:none;padding:0;font-size:12pt}form,.no-print{display:none}
.verdict{color:#000!important;background:none!important;border:3px solid #000}a{color:#000;text-decoration:none}}`;

function layout(body: string): string {
  return `<!doctype html>
<html lang="bn"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>শংসাপত্র যাচাই · Certificate check</title>
<style>${STYLE}</style>
</head><body>
<h1>দুয়ারে · শংসাপত্র যাচাই<br>Duare · Certificate check</h1>
${body}
<footer>এই পাতা পৌরসভার নিজস্ব রেকর্ডের সঙ্গে মিলিয়ে দেখায়। · This page checks the municipality's own records.</footer>
</body></html>`;
}

/** The form to type a number and a code (Bengali digits accepted); kept what was typed. */
export function verificationForm(
  given: { number?: string; code?: string; message?: { bn: string; en: string } } = {},
): string {
  return `<form method="get" action="/verify" id="check">
${given.message ? `<p class="error" id="form-error">${escape(given.message.bn)}<br>${escape(given.message.en)}</p>` : ''}
<label for="n">শংসাপত্রের নম্বর / Certificate number</label>
<input id="n" name="n" required maxlength="60" autocomplete="off" autocapitalize="characters" placeholder="BSR/RES/2026-27/000001" value="${escape(given.number)}">
<p class="hint">যেমন ছাপা আছে; বাংলা সংখ্যাও চলবে। · As printed; Bengali digits are fine.</p>
<label for="c">যাচাই কোড / Verification code</label>
<input id="c" name="c" required maxlength="16" autocomplete="off" autocapitalize="characters" placeholder="XY18TGNY" value="${escape(given.code)}">
<button type="submit">যাচাই করুন / Check</button>
</form>`;
}

/** A page with the form only: no code yet, or what was typed cannot be a certificate. */
export function verificationFormPage(
  given: { number?: string; code?: string; message?: { bn: string; en: string } } = {},
): string {
  return layout(
    `<p>শংসাপত্রে ছাপা নম্বর ও যাচাই কোড লিখুন। · Type the number and the verification code printed on the certificate.</p>
${verificationForm(given)}`,
  );
}

const dates = (value: Date | string | null | undefined) =>
  value ? `${formatDateBn(value)} · ${formatDateEn(value)}` : '—';

/** The verification page: small, no scripts, readable on any phone, printable. */
export function verificationPage(
  result: CertificateVerification,
  given: { number?: string; code?: string } = {},
): string {
  const code = given.code;
  const verdict = VERDICT[result.status];
  const rows: Array<[string, string, unknown]> =
    result.status === PublicCertificateStatus.UNKNOWN
      ? []
      : [
          ['নম্বর', 'Number', result.number],
          ['ধরন', 'Type', `${result.typeNameBn ?? ''} / ${result.typeNameEn ?? ''}`],
          ['নাম', 'Holder', result.holderNameMasked],
          ['প্রদানের তারিখ', 'Issued', dates(result.issuedAt)],
          ['বৈধ পর্যন্ত', 'Valid until', result.validUntil ? dates(result.validUntil) : '—'],
          [
            'পৌরসভা',
            'Municipality',
            `${result.municipalityNameBn ?? ''} / ${result.municipalityNameEn ?? ''}`,
          ],
          [
            'ওয়ার্ড',
            'Ward',
            result.wardNumber == null
              ? '—'
              : `${toBengaliDigits(String(result.wardNumber))} / ${result.wardNumber}`,
          ],
          [
            'ডিজিটাল স্বাক্ষর',
            'Digital signature',
            result.signatureValid ? 'ঠিক আছে / verified' : 'মেলেনি / does not match',
          ],
          ...(result.revokedAt
            ? [
                ['বাতিলের তারিখ', 'Revoked on', dates(result.revokedAt)] as [
                  string,
                  string,
                  unknown,
                ],
              ]
            : []),
          ...(result.supersededByNumber
            ? [
                ['নতুন শংসাপত্র', 'Replaced by', result.supersededByNumber] as [
                  string,
                  string,
                  unknown,
                ],
              ]
            : []),
        ];
  const replaced = result.supersededByNumber
    ? `<p class="replaced" id="replaced-by">নতুন শংসাপত্র / Replacement: ${escape(result.supersededByNumber)}</p>`
    : '';
  const signed =
    result.number && code && result.status !== PublicCertificateStatus.UNKNOWN
      ? `<p class="no-print"><a href="/v/${escape(shortReference(result.number, code))}/signed">স্বাক্ষরিত তথ্য (অফলাইন যাচাইয়ের জন্য) · Signed data, for offline checks</a></p>`
      : '';
  return layout(
    `<p class="verdict" id="verdict" data-status="${result.status}" style="background:${verdict.color}"><span class="mark" aria-hidden="true">${verdict.mark}</span><strong>${escape(verdict.bn)}</strong><br>${escape(verdict.en)}</p>
${replaced}
${rows.length ? `<table>${rows.map(([bn, en, value]) => `<tr${en === 'Number' || en === 'Replaced by' ? ' class="number"' : ''}><td>${escape(bn)} / ${escape(en)}</td><td>${escape(value)}</td></tr>`).join('')}</table>` : ''}
${signed}
${result.status === PublicCertificateStatus.UNKNOWN ? verificationForm({ number: given.number }) : ''}`,
  );
}
