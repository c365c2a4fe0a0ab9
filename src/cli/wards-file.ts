import { toAsciiDigits, toBengaliDigits } from '../common/text/digits';
import { parse } from 'csv-parse/sync';
import { validateInput } from '../common/validation/validate-input';
import { CreateWardInput } from '../wards/dto/create-ward.input';
import { createWardSchema } from '../wards/dto/ward-input.schemas';
import { CouncillorStatus } from '../wards/entities/councillor-status.enum';
import { UsageError } from './cli-command';
import { WARD_FILE_COLUMNS } from './wards-file-columns';

const STATUS_WORDS: Record<string, CouncillorStatus> = {
  elected: CouncillorStatus.ELECTED,
  vacant: CouncillorStatus.VACANT,
};

/** `count` wards numbered 1..count, named "Ward 7" / "ওয়ার্ড ৭"; the listed ones vacant. */
export function numberedWards(count: number, vacant: number[] = []): CreateWardInput[] {
  const unknown = vacant.filter((n) => n > count);
  if (unknown.length) {
    throw new UsageError(
      `--vacant-wards names ward(s) beyond --wards ${count}: ${unknown.join(', ')}`,
    );
  }
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    nameEn: `Ward ${i + 1}`,
    nameBn: `ওয়ার্ড ${toBengaliDigits(i + 1)}`,
    councillorStatus: vacant.includes(i + 1) ? CouncillorStatus.VACANT : CouncillorStatus.ELECTED,
  }));
}

/**
 * The wards of a wards file, every row checked as `createWard` would check it. A bad file
 * names each bad row (the header is row 1) and nothing is created.
 */
export function parseWardsFile(text: string): CreateWardInput[] {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      relax_column_count: false,
    }) as string[][];
  } catch (error) {
    throw new UsageError(`The wards file is not valid CSV: ${(error as Error).message}`);
  }
  if (rows.length === 0) throw new UsageError('The wards file is empty');
  const header = rows[0].map((name) => name.trim().toLowerCase());
  const known = new Set<string>([...WARD_FILE_COLUMNS.required, ...WARD_FILE_COLUMNS.optional]);
  const missing = WARD_FILE_COLUMNS.required.filter((name) => !header.includes(name));
  if (missing.length) {
    throw new UsageError(
      `The wards file lacks the column(s) ${missing.join(', ')} (header: ${[
        ...WARD_FILE_COLUMNS.required,
        ...WARD_FILE_COLUMNS.optional,
      ].join(',')})`,
    );
  }
  const unknown = header.filter((name) => !known.has(name));
  if (unknown.length)
    throw new UsageError(`Unknown column(s) in the wards file: ${unknown.join(', ')}`);
  if (rows.length === 1) throw new UsageError('The wards file has a header but no ward');

  const problems: string[] = [];
  const wards: CreateWardInput[] = [];
  const seen = new Map<number, number>();
  rows.slice(1).forEach((cells, index) => {
    const rowNumber = index + 2;
    const cell = (name: string) => {
      const value = cells[header.indexOf(name)];
      return value === undefined || value.trim() === '' ? null : value.trim();
    };
    const rowProblems: string[] = [];
    const numberText = cell('number');
    const number =
      numberText && /^\d+$/.test(toAsciiDigits(numberText))
        ? Number(toAsciiDigits(numberText))
        : NaN;
    if (numberText === null) rowProblems.push('number: is required');
    else if (Number.isNaN(number))
      rowProblems.push(`number: must be a whole number, not "${numberText}"`);
    const statusText = cell('councillor_status');
    const status = statusText ? STATUS_WORDS[statusText.toLowerCase()] : CouncillorStatus.ELECTED;
    if (!status)
      rowProblems.push(`councillor_status: must be ELECTED or VACANT, not "${statusText}"`);
    const populationText = cell('population');
    const population =
      populationText === null ? null : Number(toAsciiDigits(populationText).replace(/,/g, ''));
    const input: CreateWardInput = {
      number,
      nameEn: cell('name_en') ?? '',
      nameBn: cell('name_bn') ?? '',
      councillorStatus: status ?? null,
      councillorStatusSince: cell('councillor_status_since'),
      councillorStatusNote: cell('councillor_status_note'),
      population,
      helplineWhatsappNumber: cell('helpline_whatsapp_number'),
      whatsappPhoneNumberId: cell('whatsapp_phone_number_id'),
    };
    const checked = validateInput(createWardSchema, input);
    if (!checked.ok) {
      for (const e of checked.errors) {
        const column = COLUMN_OF[e.field ?? ''] ?? e.field;
        if (column === 'number' && rowProblems.some((p) => p.startsWith('number:'))) continue;
        if (column === 'councillor_status' && !status) continue;
        rowProblems.push(`${column}: ${e.message}`);
      }
    }
    if (!Number.isNaN(number) && seen.has(number)) {
      rowProblems.push(`number: ward ${number} is already on row ${seen.get(number)}`);
    } else if (!Number.isNaN(number)) {
      seen.set(number, rowNumber);
    }
    if (rowProblems.length) problems.push(`  row ${rowNumber}: ${rowProblems.join('; ')}`);
    else wards.push(input);
  });
  if (problems.length) {
    throw new UsageError(
      `The wards file has problems; nothing was created:\n${problems.join('\n')}`,
    );
  }
  return wards;
}

const COLUMN_OF: Record<string, string> = {
  number: 'number',
  nameEn: 'name_en',
  nameBn: 'name_bn',
  councillorStatus: 'councillor_status',
  councillorStatusSince: 'councillor_status_since',
  councillorStatusNote: 'councillor_status_note',
  population: 'population',
  helplineWhatsappNumber: 'helpline_whatsapp_number',
  whatsappPhoneNumberId: 'whatsapp_phone_number_id',
};
