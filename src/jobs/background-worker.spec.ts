import { BackgroundWorker, WorkerDefinition } from './background-worker';
import { WorkerRegistry } from './worker-registry';

/** A promise settled from outside: the test decides when a unit of work ends. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settings = { pollMs: 60_000, batch: 10, leaseSeconds: 30, concurrency: 2 };

function workerWith(overrides: Partial<WorkerDefinition>): BackgroundWorker {
  return new BackgroundWorker({
    name: 'test',
    settings,
    step: async () => false,
    onError: () => undefined,
    ...overrides,
  });
}

describe('BackgroundWorker', () => {
  it('keeps stepping while work is claimed, then stops looking', async () => {
    let left = 3;
    let steps = 0;
    const worker = workerWith({
      step: async () => {
        steps += 1;
        if (left === 0) return false;
        left -= 1;
        return true;
      },
    });
    worker.start();
    await worker.kick();
    expect(left).toBe(0);
    expect(steps).toBe(4);
    await worker.stop();
  });

  it('bounds items in flight by concurrency and waits for them on kick and stop', async () => {
    const sends = [deferred(), deferred(), deferred()];
    let claimed = 0;
    const worker = workerWith({
      step: async (w) => {
        let took = false;
        while (w.room() > 0 && claimed < sends.length) {
          w.track(sends[claimed].promise);
          claimed += 1;
          took = true;
        }
        return took;
      },
    });
    worker.start();
    const drained = worker.kick();
    // Two slots: the third send waits until one of the first two ends.
    await Promise.resolve();
    await new Promise(setImmediate);
    expect(claimed).toBe(2);
    expect((await worker.snapshot()).running).toBe(2);
    sends[0].resolve();
    await new Promise(setImmediate);
    expect(claimed).toBe(3);
    sends[1].resolve();
    sends[2].resolve();
    await drained;
    expect((await worker.snapshot()).running).toBe(0);
    await worker.stop();
  });

  it('counts and reports a step that throws, and goes on at the next wake-up', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const worker = workerWith({
      step: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
        return false;
      },
      onError: (error) => errors.push(error),
    });
    worker.start();
    await worker.kick();
    await worker.kick();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('database away');
    const snapshot = await worker.snapshot();
    expect(snapshot.failedRuns).toBe(1);
    expect(snapshot.lastRunAt).not.toBeNull();
    expect(calls).toBe(2);
    await worker.stop();
  });

  it('takes no work after stop, and is off with a poll of 0', async () => {
    let calls = 0;
    const worker = workerWith({
      step: async () => {
        calls += 1;
        return false;
      },
    });
    worker.start();
    await worker.stop();
    await worker.kick();
    expect(calls).toBe(0);
    const off = workerWith({ settings: { ...settings, pollMs: 0 } });
    off.start();
    expect(off.enabled).toBe(false);
    expect((await off.snapshot()).enabled).toBe(false);
  });

  it('reports the queue figures its measure reads', async () => {
    const worker = workerWith({
      measure: async () => ({ due: 4, oldestDueSeconds: 12, failed: 1 }),
    });
    expect(await worker.snapshot()).toMatchObject({
      name: 'test',
      due: 4,
      oldestDueSeconds: 12,
      failed: 1,
      running: 0,
      settings,
    });
  });
});

describe('WorkerRegistry', () => {
  it('lists every worker by name and refuses a second of the same name', async () => {
    const registry = new WorkerRegistry();
    const definition = {
      settings,
      step: async () => false,
      onError: () => undefined,
    };
    registry.create({ ...definition, name: 'webhooks' });
    registry.create({ ...definition, name: 'notifications' });
    expect(() => registry.create({ ...definition, name: 'webhooks' })).toThrow(/exists already/);
    const snapshot = await registry.snapshot();
    expect(snapshot.map((s) => s.name)).toEqual(['notifications', 'webhooks']);
    expect(snapshot[0]).toMatchObject({ due: null, failed: null, failedRuns: 0 });
  });
});
