/**
 * Runs `work` with a signal that aborts after `ms` with a `TimeoutError`, as
 * `AbortSignal.timeout(ms)` would, and stops the clock as soon as the work ends (the answer
 * read, or a failure). `AbortSignal.timeout` keeps its timer, and the signal with whatever
 * listens to it, alive for the whole period after the answer came, then builds an error
 * nobody reads: at hundreds of sends a second, thousands of live timers and a share of the CPU.
 */
export async function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      ),
    ms,
  );
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
