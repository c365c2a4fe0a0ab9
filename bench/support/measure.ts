/**
 * Small numeric helpers shared by the benchmarks: percentiles, medians and ranges, and how
 * busy the machine was.
 */
import { cpus } from 'node:os';

/** Nearest rank: the smallest value with at least p % of the values at or below it. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Median and range of one figure over the runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN };
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const med = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: med, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Busy and total CPU time of the whole machine so far (ms, all logical CPUs). */
export function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** Starts a clock; calling the result gives the share of all logical CPUs busy since. */
export function machineBusy(): () => number {
  const before = machineTimes();
  return () => {
    const after = machineTimes();
    const total = after.total - before.total;
    return total > 0 ? (after.busy - before.busy) / total : NaN;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const fixed = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';

export const grouped = (value: number) => Math.round(value).toLocaleString('en-US');

/** `median (min–max)` with the given digits. */
export function showSpread(value: Spread, digits = 1): string {
  if (!Number.isFinite(value.median)) return '–';
  return `${fixed(value.median, digits)} (${fixed(value.min, digits)}–${fixed(value.max, digits)})`;
}
