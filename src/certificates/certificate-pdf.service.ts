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

interface TextStyle {
  size: number;
  bold?: boolean;
  align?: 'center' | 'left';
  /** Space after, in multiples of the font size. */
  gap?: number;
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

  /**
   * Lays out mixed Bengali and Latin text: words fill lines of `width`, each line is drawn
   * as positioned runs of one script (centred as a whole when asked).
   */
  private paragraph(
    doc: PDFKit.PDFDocument,
    text: string,
    style: TextStyle & { x: number; width: number },
  ) {
    const font = (bengali: boolean) => `${bengali ? 'bn' : 'latin'}${style.bold ? '-bold' : ''}`;
    const measure = (part: string) =>
      scriptRuns(part).reduce(
        (sum, run) =>
          sum + doc.font(font(run.bengali)).fontSize(style.size).widthOfString(run.text),
        0,
      );
    const lines: string[] = [];
    let line = '';
    for (const token of text.split(/(\s+)/)) {
      const candidate = line + token;
      if (line.trim() && measure(candidate.trimEnd()) > style.width) {
        lines.push(line.trimEnd());
        line = token.trimStart();
      } else {
        line = candidate;
      }
    }
    if (line.trim()) lines.push(line.trimEnd());
    const lineHeight = style.size * 1.55;
    for (const content of lines) {
      const lineWidth = measure(content);
      let x = style.align === 'center' ? style.x + (style.width - lineWidth) / 2 : style.x;
      const y = doc.y;
      for (const run of scriptRuns(content)) {
        doc.font(font(run.bengali)).fontSize(style.size);
        // One baseline for both fonts (their ascents differ), a font size below the line top.
        this.withActualText(doc, run, () =>
          doc.text(run.text, x, y + style.size, { lineBreak: false, baseline: 'alphabetic' }),
        );
        x += doc.widthOfString(run.text);
      }
      doc.y = y + lineHeight;
    }
  }

  /**
   * Shaped Bengali is drawn in visual order (a vowel sign before its consonant), so a
   * copy or a text extraction would read it scrambled; ActualText gives the logical text.
   */
  private withActualText(
    doc: PDFKit.PDFDocument,
    run: { bengali: boolean; text: string },
    draw: () => void,
  ) {
    if (!run.bengali) return draw();
    doc.markContent('Span', { actual: run.text, lang: 'bn-IN' } as never);
    draw();
    doc.endMarkedContent();
  }

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
    const left = 56;
    const fullWidth = doc.page.width - 112;
    const write = (text: string, options: TextStyle) => {
      this.paragraph(doc, text, { x: left, width: fullWidth, ...options });
      doc.y += (options.gap ?? 0.4) * options.size;
    };

    write(holder.municipalityNameBn ?? '', { size: 18, bold: true, align: 'center', gap: 0.2 });
    write(holder.municipalityNameEn ?? '', { size: 14, bold: true, align: 'center', gap: 0.2 });
    write(`${holder.wardNameBn ?? ''} · ${holder.wardNameEn ?? ''}`, {
      size: 11,
      align: 'center',
      gap: 1.5,
    });
    write(content.typeNameBn ?? '', { size: 20, bold: true, align: 'center', gap: 0.2 });
    write(content.typeNameEn ?? '', { size: 15, bold: true, align: 'center', gap: 1.5 });
    write(`নম্বর / No.: ${certificate.number}`, { size: 11 });
    write(`তারিখ / Date of issue: ${certificate.issuedAt.toISOString().slice(0, 10)}`, {
      size: 11,
    });
    if (certificate.validUntil) write(`বৈধ / Valid until: ${certificate.validUntil}`, { size: 11 });
    doc.y += 12;
    write(content.textBn ?? '', { size: 13, gap: 0.8 });
    write(content.textEn ?? '', { size: 12, gap: 1.5 });
    write(`স্বাক্ষরকারী / Signed by: ${certificate.signerName} (${certificate.signerRole})`, {
      size: 11,
    });
    write(`ডিজিটাল স্বাক্ষর / Digital signature: Ed25519, key ${certificate.keyId}`, { size: 9 });

    const qrTop = doc.page.height - 56 - 170;
    doc.image(qr, left, qrTop, { width: 150 });
    doc.y = qrTop;
    const side = { x: left + 170, width: fullWidth - 170 };
    this.paragraph(doc, 'যাচাই করুন / Verify:', { ...side, size: 10 });
    this.paragraph(doc, this.verificationUrl(certificate), { ...side, size: 8 });
    this.paragraph(doc, `যাচাই কোড / Verification code: ${certificate.verificationCode}`, {
      ...side,
      size: 11,
    });
    doc.end();
    return done;
  }
}
