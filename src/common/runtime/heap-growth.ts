import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 may let the heap grow past what survived the last full collection, in per cent.
 * Left to itself V8 grows it up to four times under a steady allocation rate: with about
 * 100 MB live, the server sat at 400–480 MB RSS in the ward-scale benchmark. At 100 % (twice
 * the live heap) it stays near 250 MB, with the same requests per second within noise
 * (bench/README.md, round 4). `--max-old-space-size` would cap it too, but collects hard near
 * the cap and cost a third of the throughput.
 */
export const HEAP_GROWING_PERCENT = 100;
export const HEAP_GROWING_FLAG = '--heap-growing-percent';

/**
 * Applies {@link HEAP_GROWING_PERCENT} unless the process was started with its own
 * `--heap-growing-percent` (an operator's choice wins).
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => arg.startsWith(HEAP_GROWING_FLAG))) return false;
  setFlagsFromString(`${HEAP_GROWING_FLAG}=${HEAP_GROWING_PERCENT}`);
  return true;
}
