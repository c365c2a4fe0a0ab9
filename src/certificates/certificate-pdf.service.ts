import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import stableStringify from 'fast-json-stable-stringify';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { maskName } from './certificate-content';
import { CertificateSigningService } from './certificate-signing.service';
import { Certificate } from './entities/certificate.entity';

const FONT_DIR = (pkg: string) => join(require.resolve(`${pkg}/package.json`), '..', 'files');

/**
 * The fonts ship with npm. Each @fontsource file covers one script: the Bengali one has
 * no Latin punctuation and the Latin one no Bengali, so text is written in runs by script.
 */
const FONTS = {
  bn: readFileSync(
    join(FONT_DIR('@fontsource/noto-sans-bengali'), 'noto-sans-bengali-bengali-400-normal.woff'),
  ),
  bnBold: readFileSync(
    join(FONT_DIR('@fontsource/noto-sans-bengali'), 'noto-sans-bengali-bengali-700-normal.woff'),
  ),
  latin: readFileSync(join(FONT_DIR('@fontsource/noto-sans'), 'noto-sans-latin-400-normal.woff')),
  latinBold: readFileSync(
    join(FONT_DIR('@fontsource/noto-sans'), 'noto-sans-latin-700-normal.woff'),
  ),
};

/** Bengali letters, signs and digits, the dandas, and the joiners that shape conjuncts. */
const BENGALI_CHAR = /[\u0980-\u09FF\u0964\u0965\u200C\u200D]/;

/** Splits text into runs of one script; spaces stay with the run they are in. */
export function scriptRuns(text: string): Array<{ bengali: boolean; text: string }> {
  const runs: Array<{ bengali: boolean; text: string }> = [];
  for (const char of text) {
    const bengali = BENGALI_CHAR.test(char);
    const last = runs[runs.length - 1];
    if (last && (last.bengali === bengali || char === ' ')) last.text += char;
    else runs.push({ bengali, text: char });
  }
  return runs;
}

/** The compact signed token the QR code carries, for checking without the server. */
export function qrToken(
  certificate: Certificate,
  fullPayload: string,
  sign: (payload: string) => string,
) {
  const compact = stableStringify({
    v: 1,
    number: certificate.number,
    type: certificate.typeCode,
    issuedAt: certificate.issuedAt.toISOString(),
    validUntil: certificate.validUntil,
    holder: maskName(String(certificate.holder.name ?? '')),
    sha256: createHash('sha256').update(fullPayload, 'utf8').digest('base64url'),
  });
  return `${Buffer.from(compact, 'utf8').toString('base64url')}.${sign(compact)}.${certificate.keyId}`;
}

/** Renders an A4 bilingual certificate; the same certificate always gives the same bytes. */
@Injectable()
export class CertificatePdfService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly signing: CertificateSigningService,
  ) {}

  verificationUrl(certificate: Certificate): string {
    return `${this.config.certificates.publicBaseUrl}/verify/${encodeURIComponent(certificate.number)}?c=${certificate.verificationCode}`;
  }

  async render(certificate: Certificate, fullPayload: string): Promise<Buffer> {
    const token = qrToken(certificate, fullPayload, this.signing.signer().sign);
    const qr = await QRCode.toBuffer(`${this.verificationUrl(certificate)}#${token}`, {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 1,
      width: 260,
    });
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      // Fixed dates and id: rendering twice gives the same file.
      info: {
        Title: `${certificate.number}`,
        Author: 'Duare',
        Producer: 'Duare',
        Creator: 'Duare',
        CreationDate: certificate.issuedAt,
        ModDate: certificate.issuedAt,
        // The signed content, so `npm run verify-certificate` can check a PDF offline.
        Keywords: `duare-payload:${Buffer.from(fullPayload, 'utf8').toString('base64url')};signature:${certificate.signature};key:${certificate.keyId}`,
      } as PDFKit.DocumentInfo,
    });
    doc.registerFont('bn', FONTS.bn);
    doc.registerFont('bn-bold', FONTS.bnBold);
    doc.registerFont('latin', FONTS.latin);
    doc.registerFont('latin-bold', FONTS.latinBold);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve) =>
      doc.on('end', () => resolve(Buffer.concat(chunks))),
    );

    const holder = certificate.holder as Record<string, string>;
    const content = certificate.content as Record<string, string>;
    const write = (
      text: string,
      options: { size: number; bold?: boolean; align?: 'center' | 'left' | 'right'; gap?: number },
    ) => {
      const runs = scriptRuns(text);
      doc.fontSize(options.size);
      runs.forEach((run, i) => {
        doc.font(`${run.bengali ? 'bn' : 'latin'}${options.bold ? '-bold' : ''}`);
        doc.text(run.text, { continued: i < runs.length - 1, align: options.align ?? 'left' });
      });
      doc.moveDown(options.gap ?? 0.4);
    };

    write(holder.municipalityNameBn ?? '', { size: 18, bold: true, align: 'center', gap: 0.1 });
    write(holder.municipalityNameEn ?? '', { size: 14, bold: true, align: 'center', gap: 0.1 });
    write(`${holder.wardNameBn ?? ''} · ${holder.wardNameEn ?? ''}`, {
      size: 11,
      align: 'center',
      gap: 1,
    });
    write(content.typeNameBn ?? '', { size: 20, bold: true, align: 'center', gap: 0.1 });
    write(content.typeNameEn ?? '', { size: 15, bold: true, align: 'center', gap: 1 });
    write(`নম্বর / No.: ${certificate.number}`, { size: 11 });
    write(`তারিখ / Date of issue: ${certificate.issuedAt.toISOString().slice(0, 10)}`, {
      size: 11,
    });
    if (certificate.validUntil) write(`বৈধ / Valid until: ${certificate.validUntil}`, { size: 11 });
    doc.moveDown(0.8);
    write(content.textBn ?? '', { size: 13, gap: 0.8 });
    write(content.textEn ?? '', { size: 12, gap: 1.5 });
    write(`স্বাক্ষরকারী / Signed by: ${certificate.signerName} (${certificate.signerRole})`, {
      size: 11,
    });
    write(`ডিজিটাল স্বাক্ষর / Digital signature: Ed25519, key ${certificate.keyId}`, { size: 9 });

    const qrTop = doc.page.height - 56 - 170;
    doc.image(qr, 56, qrTop, { width: 150 });
    doc.y = qrTop;
    const textLeft = 56 + 170;
    doc.x = textLeft;
    const side = (text: string, size: number) => {
      const runs = scriptRuns(text);
      doc.fontSize(size);
      runs.forEach((run, i) => {
        doc.font(run.bengali ? 'bn' : 'latin');
        doc.text(run.text, textLeft, undefined, {
          continued: i < runs.length - 1,
          width: doc.page.width - textLeft - 56,
        });
      });
    };
    side('যাচাই করুন / Verify:', 10);
    side(this.verificationUrl(certificate), 8);
    side(`যাচাই কোড / Verification code: ${certificate.verificationCode}`, 11);
    doc.end();
    return done;
  }
}
