import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../residents/resident-import.service';
import { COMMANDS } from './cli';
import { nextKeyId } from './commands/rotate-signing-key.run';
import { numberedWards, parseWardsFile } from './wards-file';

describe('the CLI help', () => {
  it('names every column the resident import reads (the help is written out, not imported)', () => {
    const help = COMMANDS.find((c) => c.name === 'import-residents')!.help;
    for (const column of [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]) expect(help).toContain(column);
  });

  it('gives each command a usage line and its exit codes', () => {
    for (const command of COMMANDS) {
      expect(command.help).toContain(`node dist/cli.js ${command.name}`);
      expect(command.help).toContain('Exit codes');
    }
  });
});

describe('rotate-signing-key', () => {
  it('raises the number of the key id, skipping ids in use', () => {
    expect(nextKeyId('duare-1', new Set(['duare-1']))).toBe('duare-2');
    expect(nextKeyId('bsr-9', new Set(['bsr-10']))).toBe('bsr-11');
    expect(nextKeyId('duare-demo', new Set())).toBe('duare-demo-2');
  });
});

describe('wards', () => {
  it('numbers wards with Bengali names', () => {
    expect(numberedWards(12, [5])[11]).toEqual({
      number: 12,
      nameEn: 'Ward 12',
      nameBn: 'ওয়ার্ড ১২',
      councillorStatus: 'ELECTED',
    });
  });

  it('refuses a file with a header only, and names unknown columns', () => {
    expect(() => parseWardsFile('number,name_en,name_bn\n')).toThrow('a header but no ward');
    expect(() => parseWardsFile('number,name_en,name_bn,mayor\n1,a,b,c\n')).toThrow(
      'Unknown column(s) in the wards file: mayor',
    );
    expect(() => parseWardsFile('')).toThrow('The wards file is empty');
    expect(() => parseWardsFile('number,name_en\n1,a\n')).toThrow('lacks the column(s) name_bn');
  });
});
