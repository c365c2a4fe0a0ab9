import { execFileSync } from 'node:child_process';
import { HEAP_GROWING_FLAG, limitHeapGrowth } from './heap-growth';

describe('limitHeapGrowth', () => {
  it('leaves an operator-chosen growth limit alone', () => {
    expect(limitHeapGrowth(['--enable-source-maps', `${HEAP_GROWING_FLAG}=50`])).toBe(false);
  });

  it('sets the limit when the process was started without one', () => {
    expect(limitHeapGrowth(['--enable-source-maps'])).toBe(true);
  });

  it('names a flag this Node’s V8 knows (an unknown one would be ignored without a word)', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(options).toContain(`${HEAP_GROWING_FLAG} (`);
  });
});
