import { Refusal, refusable, refused } from './refusal';
import { userError, UserErrorCode } from './user-error.type';

describe('refusable', () => {
  const problem = userError(UserErrorCode.INVALID, 'code', 'no');

  it('puts the result under its field with no errors', async () => {
    await expect(refusable('thing', async () => 42)).resolves.toEqual({ thing: 42, errors: [] });
  });

  it('turns a Refusal into the payload errors', async () => {
    const payload = await refusable('thing', async (): Promise<number> => {
      throw new Refusal([problem]);
    });
    expect(payload).toEqual({ thing: null, errors: [problem] });
  });

  it('turns an error the caller knows into payload errors, and rethrows the rest', async () => {
    const known = (error: unknown) => (error instanceof RangeError ? [problem] : null);
    await expect(
      refusable('thing', () => Promise.reject(new RangeError('dup')), known),
    ).resolves.toEqual(refused('thing', [problem]));
    await expect(
      refusable('thing', () => Promise.reject(new TypeError('bug')), known),
    ).rejects.toThrow('bug');
  });
});
