import { Readable } from 'node:stream';
import { readCapped, readCappedStream } from './storable';

describe('readCappedStream', () => {
  it('stops a Node stream at the cap without reading the rest', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1;
        this.push(Buffer.from('অ'.repeat(1000)));
      },
    });
    const text = await readCappedStream(endless, 10_000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(10_002);
    expect(text.startsWith('অঅঅ')).toBe(true);
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(20);
  });

  it('reads a short fetch body whole, and cancels a long one at the cap', async () => {
    expect(await readCapped(new Response('{"success":true}'), 1024)).toBe('{"success":true}');
    let cancelled = false;
    const long = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(4096).fill(0x61));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await readCapped(new Response(long), 5000)).toBe('a'.repeat(5000));
    expect(cancelled).toBe(true);
  });
});
