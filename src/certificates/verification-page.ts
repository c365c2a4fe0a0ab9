import { CertificateVerification, PublicCertificateStatus } from './dto/certificate.dto';

const escape = (value: unknown) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const VERDICT: Record<PublicCertificateStatus, { bn: string; en: string; color: string }> = {
  VALID: { bn: 'বৈধ শংসাপত্র', en: 'Valid certificate', color: '#1b7f3b' },
  REVOKED: { bn: 'বাতিল করা হয়েছে', en: 'Revoked', color: '#b3261e' },
  SUPERSEDED: {
    bn: 'নতুন শংসাপত্রে প্রতিস্থাপিত',
    en: 'Replaced by a corrected certificate',
    color: '#a15c00',
  },
  EXPIRED: { bn: 'মেয়াদ শেষ', en: 'Expired', color: '#a15c00' },
  UNKNOWN: {
    bn: 'এই নম্বর ও কোডের কোনো শংসাপত্র নেই',
    en: 'No certificate with this number and code',
    color: '#b3261e',
  },
};

/** The verification page: small, no scripts, readable on any phone. */
export function verificationPage(result: CertificateVerification): string {
  const verdict = VERDICT[result.status];
  const rows: Array<[string, string, unknown]> =
    result.status === PublicCertificateStatus.UNKNOWN
      ? []
      : [
          ['নম্বর', 'Number', result.number],
          ['ধরন', 'Type', `${result.typeNameBn ?? ''} / ${result.typeNameEn ?? ''}`],
          ['নাম', 'Holder', result.holderNameMasked],
          ['প্রদানের তারিখ', 'Issued', result.issuedAt?.toISOString().slice(0, 10)],
          ['বৈধ পর্যন্ত', 'Valid until', result.validUntil ?? '—'],
          [
            'পৌরসভা',
            'Municipality',
            `${result.municipalityNameBn ?? ''} / ${result.municipalityNameEn ?? ''}`,
          ],
          ['ওয়ার্ড', 'Ward', result.wardNumber],
          [
            'ডিজিটাল স্বাক্ষর',
            'Digital signature',
            result.signatureValid ? 'ঠিক আছে / verified' : 'মেলেনি / does not match',
          ],
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
  return `<!doctype html>
<html lang="bn"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>শংসাপত্র যাচাই · Certificate check</title>
<style>body{font-family:system-ui,'Noto Sans Bengali',sans-serif;margin:0;padding:16px;max-width:560px;margin:auto;color:#1c1b1f}
h1{font-size:1.2rem}.verdict{padding:12px 16px;border-radius:8px;color:#fff;background:${verdict.color};font-size:1.1rem}
table{border-collapse:collapse;width:100%;margin-top:16px}td{padding:6px 4px;border-bottom:1px solid #ddd;vertical-align:top}td:first-child{color:#555;width:40%}</style>
</head><body>
<h1>দুয়ারে · শংসাপত্র যাচাই / Certificate check</h1>
<p class="verdict" id="verdict" data-status="${result.status}"><strong>${escape(verdict.bn)}</strong><br>${escape(verdict.en)}</p>
${rows.length ? `<table>${rows.map(([bn, en, value]) => `<tr><td>${escape(bn)} / ${escape(en)}</td><td>${escape(value)}</td></tr>`).join('')}</table>` : ''}
</body></html>`;
}
