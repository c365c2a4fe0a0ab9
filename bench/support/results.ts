/**
 * Where results go: `bench/results/NAME.json` and `NAME.md` (or under BENCH_RESULTS_DIR),
 * and the Markdown tables they are printed with.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? join(process.cwd(), 'bench', 'results');

/** Writes NAME.json and NAME.md under the results directory; returns their common stem. */
export function writeResults(name: string, json: unknown, markdown: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(RESULTS_DIR, `${name}.md`), markdown);
  return join(RESULTS_DIR, name);
}

/**
 * A Markdown table, padded so that it reads as text too (and as Prettier writes it);
 * columns whose header starts with a space are left-aligned, the others right-aligned.
 */
export function markdownTable(header: string[], rows: string[][]): string[] {
  const left = header.map((title) => title.startsWith(' '));
  const cells = [header.map((title) => title.trim()), ...rows];
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => width(row[i] ?? ''))));
  const line = (row: string[]) =>
    `| ${row
      .map((cell, i) => (left[i] ? padEnd(cell, widths[i]) : padStart(cell, widths[i])))
      .join(' | ')} |`;
  const rule = `| ${widths
    .map((w, i) => (left[i] ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`))
    .join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)];
}

/** Display width as Prettier counts it (code points; good enough for these tables). */
const width = (text: string) => [...text].length;
const padEnd = (text: string, n: number) => text + ' '.repeat(Math.max(0, n - width(text)));
const padStart = (text: string, n: number) => ' '.repeat(Math.max(0, n - width(text))) + text;

/**
 * Runs a benchmark's `main` and exits: 0 when it finished, 1 with its stack when it failed
 * (servers and pools it left open must not keep the process alive either way).
 */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}
