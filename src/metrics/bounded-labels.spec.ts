import { BoundedLabels } from './bounded-labels';

describe('BoundedLabels', () => {
  it('keeps the first distinct names and folds the rest into _other', () => {
    const labels = new BoundedLabels(2);
    expect(labels.label('requestQueue')).toBe('requestQueue');
    expect(labels.label('signIn')).toBe('signIn');
    expect(labels.label('thirdOne')).toBe('_other');
    expect(labels.label('requestQueue')).toBe('requestQueue');
  });

  it('never takes a value that is not a plain name', () => {
    const labels = new BoundedLabels(100);
    for (const odd of ['', 'a b', 'x'.repeat(65), 'আবেদন', 'q{a}', '1abc']) {
      expect(labels.label(odd)).toBe('_other');
    }
  });
});
