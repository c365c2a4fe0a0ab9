// Over 400 lines on purpose: one page layout (text runs by script, emblem, seal, QR code) drawn in
// one pass; its helpers only make sense with that layout.
import { toBengaliDigits } from '../common/text/digits';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import stableStringify from 'fast-json-stable-stringify';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { formatDateBn, formatDateEn, maskName, shortReference } from './certificate-content';
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

/**
 * Drawn with the Bengali font: Bengali letters, signs and digits, the dandas, the joiners that
 * shape conjuncts, and the rupee sign (which the Latin subset lacks).
 */
const BENGALI_CHAR = /[\u0980-\u09FF\u0964\u0965\u20B9\u200C\u200D]/;

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
  align?: 'center' | 'left' | 'right';
  color?: string;
  /** Line height in multiples of the font size. */
  leading?: number;
}

// A4 in points; the border and the text column inside it.
const PAGE = { width: 595.28, height: 841.89 };
const BORDER = 22;
const LEFT = 58;
const WIDTH = PAGE.width - 2 * LEFT;
const INK = '#1a1a1a';
const ACCENT = '#1f3a68';

const SIGNER_ROLE = {
  SIGNATORY: { bn: 'নির্বাহী আধিকারিক', en: 'Executive Officer' },
  WARD_COORDINATOR: { bn: 'ওয়ার্ড সমন্বয়কারী', en: 'Ward Coordinator' },
} as Record<string, { bn: string; en: string }>;

/**
 * The short URL a certificate's QR code carries. Made of capitals, digits and `-:/.` when the
 * base URL allows it (a bare scheme and host): the QR code's alphanumeric mode then stores it
 * in a small symbol that decodes from a poor photocopy.
 */
export function shortVerificationUrl(publicBaseUrl: string, number: string, code: string): string {
  const url = `${publicBaseUrl}/v/${shortReference(number, code)}`;
  return /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(publicBaseUrl) ? url.toUpperCase() : url;
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

  /** Breaks mixed Bengali and Latin text into lines of `width` (a word too long is cut). */
  private lines(doc: PDFKit.PDFDocument, text: string, style: TextStyle, width: number) {
    const measure = (part: string) => this.measure(doc, part, style);
    const tokens: string[] = [];
    for (const token of text.split(/(\s+)/)) {
      if (token.trim() && measure(token) > width) {
        let piece = '';
        for (const char of token) {
          if (piece && measure(piece + char) > width) {
            tokens.push(piece);
            piece = '';
          }
          piece += char;
        }
        tokens.push(piece);
      } else tokens.push(token);
    }
    const lines: string[] = [];
    let line = '';
    for (const token of tokens) {
      const candidate = line + token;
      if (line.trim() && measure(candidate.trimEnd()) > width) {
        lines.push(line.trimEnd());
        line = token.trimStart();
      } else {
        line = candidate;
      }
    }
    if (line.trim()) lines.push(line.trimEnd());
    return lines;
  }

  private font(bengali: boolean, bold?: boolean) {
    return `${bengali ? 'bn' : 'latin'}${bold ? '-bold' : ''}`;
  }

  private measure(doc: PDFKit.PDFDocument, text: string, style: TextStyle): number {
    return scriptRuns(text).reduce(
      (sum, run) =>
        sum +
        doc.font(this.font(run.bengali, style.bold)).fontSize(style.size).widthOfString(run.text),
      0,
    );
  }

  /** Height a paragraph takes. */
  private height(doc: PDFKit.PDFDocument, text: string, style: TextStyle, width: number) {
    return this.lines(doc, text, style, width).length * style.size * (style.leading ?? 1.5);
  }

  /**
   * Lays out mixed Bengali and Latin text from `y`: words fill lines of `width`, each line is
   * drawn as positioned runs of one script. Returns the y below it.
   */
  private paragraph(
    doc: PDFKit.PDFDocument,
    text: string,
    style: TextStyle & { x: number; y: number; width: number },
  ): number {
    let y = style.y;
    const lineHeight = style.size * (style.leading ?? 1.5);
    for (const content of this.lines(doc, text, style, style.width)) {
      const lineWidth = this.measure(doc, content, style);
      let x =
        style.align === 'center'
          ? style.x + (style.width - lineWidth) / 2
          : style.align === 'right'
            ? style.x + style.width - lineWidth
            : style.x;
      for (const run of scriptRuns(content)) {
        doc
          .font(this.font(run.bengali, style.bold))
          .fontSize(style.size)
          .fillColor(style.color ?? INK);
        // One baseline for both fonts (their ascents differ), a font size below the line top.
        this.withActualText(doc, run, () =>
          doc.text(run.text, x, y + style.size, { lineBreak: false, baseline: 'alphabetic' }),
        );
        x += doc.widthOfString(run.text);
      }
      y += lineHeight;
    }
    return y;
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

  /** What the QR code holds: a short URL (see shortVerificationUrl). */
  qrUrl(certificate: Certificate): string {
    return shortVerificationUrl(
      this.config.certificates.publicBaseUrl,
      certificate.number,
      certificate.verificationCode,
    );
  }

  /** The link printed under the QR code, for typing: lower-case host, `/v/` and the reference. */
  printedUrl(certificate: Certificate): string {
    const base = this.config.certificates.publicBaseUrl.replace(/^https?:\/\//, '');
    return `${base}/v/${shortReference(certificate.number, certificate.verificationCode)}`;
  }

  /**
   * A configured image (`CERTIFICATE_IMAGES_DIR/<name>.png|jpg`), read at each rendering;
   * null when there is none.
   */
  private image(name: string): Buffer | null {
    const dir = this.config.certificates.imagesDir;
    if (!dir || !/^[A-Za-z0-9-]+$/.test(name)) return null;
    for (const ext of ['png', 'jpg']) {
      const path = join(dir, `${name}.${ext}`);
      if (existsSync(path)) return readFileSync(path);
    }
    return null;
  }

  /** The placeholder emblem: drawn here, not any government's emblem (a door under an arch). */
  private emblem(doc: PDFKit.PDFDocument, cx: number, cy: number, r: number) {
    doc.save().lineWidth(1.6).strokeColor(ACCENT);
    doc.circle(cx, cy, r).stroke();
    doc
      .lineWidth(0.6)
      .circle(cx, cy, r - 4)
      .stroke();
    for (let i = 0; i < 16; i += 1) {
      const a = (i / 16) * 2 * Math.PI;
      doc.circle(cx + Math.cos(a) * (r - 8.5), cy + Math.sin(a) * (r - 8.5), 1.2).fill(ACCENT);
    }
    // An arched doorway with its threshold: "duare", at the door.
    const w = r * 0.62;
    const h = r * 0.95;
    const top = cy - h / 2;
    doc
      .lineWidth(1.4)
      .moveTo(cx - w / 2, cy + h / 2)
      .lineTo(cx - w / 2, top + w / 2)
      .bezierCurveTo(cx - w / 2, top - w / 6, cx + w / 2, top - w / 6, cx + w / 2, top + w / 2)
      .lineTo(cx + w / 2, cy + h / 2)
      .stroke(ACCENT);
    doc
      .moveTo(cx - w / 2 - 6, cy + h / 2)
      .lineTo(cx + w / 2 + 6, cy + h / 2)
      .lineWidth(2)
      .stroke(ACCENT);
    doc.circle(cx + w / 5, cy + h / 8, 1.6).fill(ACCENT);
    doc.restore();
  }

  /** A round mark beside the signature: this document is signed digitally. */
  private seal(doc: PDFKit.PDFDocument, cx: number, cy: number, r: number, date: Date) {
    doc.save().lineWidth(1.2).strokeColor(ACCENT).circle(cx, cy, r).stroke();
    doc
      .lineWidth(0.5)
      .circle(cx, cy, r - 3.5)
      .stroke();
    doc.restore();
    const style = { size: 7, align: 'center' as const, color: ACCENT, leading: 1.35 };
    let y = cy - 21;
    y = this.paragraph(doc, 'ডিজিটাল স্বাক্ষরিত', {
      ...style,
      bold: true,
      x: cx - r,
      y,
      width: 2 * r,
    });
    y = this.paragraph(doc, 'DIGITALLY SIGNED', {
      ...style,
      bold: true,
      x: cx - r,
      y,
      width: 2 * r,
    });
    y = this.paragraph(doc, formatDateBn(date), { ...style, x: cx - r, y, width: 2 * r });
    this.paragraph(doc, formatDateEn(date), { ...style, x: cx - r, y, width: 2 * r });
  }

  /** The QR code as vector squares: sharp at any resolution, the same bytes every time. */
  private qr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
    const symbol = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const count = symbol.modules.size;
    const quiet = 2;
    const cell = size / (count + 2 * quiet);
    doc.save().rect(x, y, size, size).fill('#ffffff');
    for (let row = 0; row < count; row += 1) {
      for (let col = 0; col < count; col += 1) {
        if (symbol.modules.get(row, col)) {
          doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
        }
      }
    }
    doc.fill('#000000').restore();
  }

  async render(certificate: Certificate, fullPayload: string): Promise<Buffer> {
    const holder = certificate.holder as Record<string, string | null>;
    const content = certificate.content as Record<string, string | undefined>;
    const municipalityBn = holder.municipalityNameBn ?? '';
    const municipalityEn = holder.municipalityNameEn ?? '';
    const doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      lang: 'bn-IN',
      displayTitle: true,
      // Fixed dates and id: rendering twice gives the same file.
      info: {
        Title: `${content.typeNameBn ?? ''} / ${content.typeNameEn ?? ''} — ${certificate.number}`,
        Subject: `${content.typeNameEn ?? 'Certificate'} ${certificate.number}, ${municipalityEn}`,
        Author: municipalityEn ? `${municipalityEn} (${municipalityBn})` : 'Duare',
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

    // Border: a heavy outer line and a thin inner one.
    doc
      .save()
      .lineWidth(2.2)
      .strokeColor(ACCENT)
      .rect(BORDER, BORDER, PAGE.width - 2 * BORDER, PAGE.height - 2 * BORDER)
      .stroke()
      .lineWidth(0.7)
      .rect(BORDER + 5, BORDER + 5, PAGE.width - 2 * BORDER - 10, PAGE.height - 2 * BORDER - 10)
      .stroke()
      .restore();

    // Header: emblem, the municipality in both languages, where it is, the ward.
    const municipalityCode = certificate.number.split('/')[0];
    const emblem = this.image(`emblem-${municipalityCode}`);
    if (emblem) doc.image(emblem, PAGE.width / 2 - 32, 44, { fit: [64, 64], align: 'center' });
    else this.emblem(doc, PAGE.width / 2, 76, 30);
    const at = { x: LEFT, width: WIDTH, align: 'center' as const };
    let y = this.paragraph(doc, municipalityBn, {
      ...at,
      y: 112,
      size: 19,
      bold: true,
      leading: 1.35,
      color: ACCENT,
    });
    y = this.paragraph(doc, municipalityEn, {
      ...at,
      y,
      size: 14,
      bold: true,
      leading: 1.35,
      color: ACCENT,
    });
    const place = [holder.municipalityDistrict, holder.municipalityState]
      .filter(Boolean)
      .join(', ');
    const wardNumber = String(holder.wardNumber ?? '');
    const wardNameBn = toBengaliDigits(holder.wardNameBn ?? '');
    const wardBn = wardNameBn.includes(toBengaliDigits(wardNumber))
      ? wardNameBn
      : `${wardNameBn} (ওয়ার্ড ${toBengaliDigits(wardNumber)})`;
    const wardEn = holder.wardNameEn?.includes(wardNumber)
      ? holder.wardNameEn
      : `${holder.wardNameEn ?? ''} (Ward ${wardNumber})`;
    const ward = `${wardBn} · ${wardEn}`;
    y = this.paragraph(doc, place ? `${place} · ${ward}` : ward, {
      ...at,
      y,
      size: 9,
      leading: 1.4,
    });
    y += 4;
    doc
      .save()
      .lineWidth(1)
      .strokeColor(ACCENT)
      .moveTo(LEFT, y)
      .lineTo(LEFT + WIDTH, y)
      .stroke()
      .restore();
    y += 8;

    // Number and date, in both languages.
    const meta = { size: 9.5, leading: 1.45 };
    const half = WIDTH / 2;
    const left1 = this.paragraph(doc, `নং ${toBengaliDigits(certificate.number)}`, {
      ...meta,
      x: LEFT,
      y,
      width: half,
    });
    const left2 = this.paragraph(doc, `No. ${certificate.number}`, {
      ...meta,
      x: LEFT,
      y: left1,
      width: half,
    });
    const right1 = this.paragraph(doc, `তারিখ: ${formatDateBn(certificate.issuedAt)}`, {
      ...meta,
      align: 'right',
      x: LEFT + half,
      y,
      width: half,
    });
    const right2 = this.paragraph(doc, `Date: ${formatDateEn(certificate.issuedAt)}`, {
      ...meta,
      align: 'right',
      x: LEFT + half,
      y: right1,
      width: half,
    });
    y = Math.max(left2, right2) + 10;

    // Title.
    y = this.paragraph(doc, content.typeNameBn ?? '', {
      ...at,
      y,
      size: 20,
      bold: true,
      leading: 1.4,
    });
    y = this.paragraph(doc, content.typeNameEn ?? '', {
      ...at,
      y,
      size: 14,
      bold: true,
      leading: 1.4,
    });
    y += 12;

    // The footer and the signature block take the bottom of the page; the body gets the rest,
    // in the largest type (14 to 9 points) with which it fits.
    const footerTop = PAGE.height - BORDER - 12 - 124;
    const signatureTop = footerTop - 100;
    const validity = certificate.validUntil
      ? `বৈধ ${formatDateBn(certificate.validUntil)} পর্যন্ত · Valid until ${formatDateEn(certificate.validUntil)}`
      : null;
    const textBn = content.textBn ?? '';
    const textEn = content.textEn ?? '';
    let size = 14;
    const bodyHeight = (s: number) =>
      this.height(doc, textBn, { size: s, leading: 1.6 }, WIDTH) +
      s * 0.9 +
      this.height(doc, textEn, { size: s - 0.5, leading: 1.5 }, WIDTH) +
      (validity ? s * 0.8 + this.height(doc, validity, { size: 10 }, WIDTH) : 0);
    while (size > 9 && y + bodyHeight(size) > signatureTop - 8) size -= 0.5;
    // A short body sits a little lower, so the page does not leave a hole before the signature.
    const spare = signatureTop - 8 - (y + bodyHeight(size));
    if (spare > 0) y += Math.min(spare / 3, 60);
    y = this.paragraph(doc, textBn, { x: LEFT, y, width: WIDTH, size, leading: 1.6 });
    y += size * 0.9;
    y = this.paragraph(doc, textEn, { x: LEFT, y, width: WIDTH, size: size - 0.5, leading: 1.5 });
    if (validity) {
      y += size * 0.8;
      this.paragraph(doc, validity, { x: LEFT, y, width: WIDTH, size: 10, bold: true });
    }

    // Signature block: the digital seal, then the signer's name and designation.
    const blockWidth = 250;
    const blockX = LEFT + WIDTH - blockWidth;
    const seal = certificate.signerId ? this.image(`seal-${certificate.signerId}`) : null;
    if (seal) doc.image(seal, LEFT + 6, signatureTop + 12, { fit: [80, 80] });
    else this.seal(doc, LEFT + 46, signatureTop + 52, 40, certificate.issuedAt);
    const signature = certificate.signerId ? this.image(`signature-${certificate.signerId}`) : null;
    if (signature)
      doc.image(signature, blockX + 70, signatureTop - 2, { fit: [180, 34], align: 'right' });
    const role = SIGNER_ROLE[certificate.signerRole];
    const designationBn =
      content.signerDesignationBn ?? (role ? `${role.bn}, ${municipalityBn}` : '');
    const designationEn =
      content.signerDesignationEn ??
      (role ? `${role.en}, ${municipalityEn}` : certificate.signerRole);
    let sy = signatureTop + 34;
    doc
      .save()
      .lineWidth(0.6)
      .strokeColor('#555555')
      .moveTo(blockX + 20, sy)
      .lineTo(blockX + blockWidth, sy)
      .stroke()
      .restore();
    sy += 4;
    const sig = { x: blockX, width: blockWidth, align: 'right' as const };
    sy = this.paragraph(doc, certificate.signerName, {
      ...sig,
      y: sy,
      size: 11,
      bold: true,
      leading: 1.4,
    });
    sy = this.paragraph(doc, designationBn, { ...sig, y: sy, size: 9.5, leading: 1.4 });
    this.paragraph(doc, designationEn, { ...sig, y: sy, size: 9.5, leading: 1.4 });

    // Footer: the QR code and how to verify, in both languages.
    doc
      .save()
      .lineWidth(0.6)
      .strokeColor(ACCENT)
      .moveTo(LEFT, footerTop)
      .lineTo(LEFT + WIDTH, footerTop)
      .stroke()
      .restore();
    const qrSize = 114;
    this.qr(doc, this.qrUrl(certificate), LEFT - 4, footerTop + 8, qrSize);
    const side = { x: LEFT + qrSize + 8, width: WIDTH - qrSize - 8 };
    let fy = footerTop + 10;
    fy = this.paragraph(
      doc,
      'যাচাই করতে QR কোড স্ক্যান করুন, অথবা লিখুন · To verify, scan the QR code or type:',
      { ...side, y: fy, size: 8.5, leading: 1.45 },
    );
    fy = this.paragraph(doc, this.printedUrl(certificate), {
      ...side,
      y: fy,
      size: 11.5,
      bold: true,
      leading: 1.4,
    });
    fy = this.paragraph(
      doc,
      `অথবা / or ${this.config.certificates.publicBaseUrl.replace(/^https?:\/\//, '')}/verify · No. ${certificate.number} · Code ${certificate.verificationCode}`,
      { ...side, y: fy, size: 8.5, leading: 1.45 },
    );
    this.paragraph(
      doc,
      `Ed25519 ডিজিটাল স্বাক্ষর, কী ${certificate.keyId}; এই PDF ফাইলে স্বাক্ষরিত তথ্য আছে, অফলাইনে যাচাই করা যায়। · Digitally signed (Ed25519, key ${certificate.keyId}); this PDF file carries the signed data for offline checks.`,
      { ...side, y: fy, size: 7, leading: 1.4, color: '#444444' },
    );
    doc.end();
    return done;
  }
}
