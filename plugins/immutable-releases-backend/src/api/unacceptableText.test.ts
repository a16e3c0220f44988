import { findUnacceptableText } from './unacceptableText';

describe('findUnacceptableText', () => {
  it('names the first field holding a NUL character', () => {
    expect(
      findUnacceptableText({
        version: '1.0.0',
        checks: [{ name: 'unit-tests' }, { name: 'lint\u0000' }],
      }),
    ).toEqual({
      field: 'checks[1].name',
      message: 'checks[1].name must not contain NUL characters (\\u0000)',
    });
    expect(findUnacceptableText('a\u0000b', 'deploymentId')?.field).toBe(
      'deploymentId',
    );
    expect(findUnacceptableText({ labels: { 'te\u0000am': 'x' } })?.field).toBe(
      'labels.te\u0000am',
    );
  });

  it('names a field holding a lone surrogate, and accepts a well-formed pair', () => {
    expect(findUnacceptableText({ version: 'caf\uD800' })).toEqual({
      field: 'version',
      message: 'version must be valid Unicode: it contains a lone surrogate',
    });
    expect(findUnacceptableText({ version: '\uDC00x' })?.field).toBe('version');
    expect(findUnacceptableText({ version: 'rocket-\uD83D\uDE80' })).toBe(
      undefined,
    );
  });

  it('finds nothing in clean input', () => {
    expect(
      findUnacceptableText({
        version: 'café',
        count: 3,
        ok: true,
        none: null,
      }),
    ).toBeUndefined();
  });
});
