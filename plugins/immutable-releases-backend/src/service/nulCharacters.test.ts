import { findNulCharacter } from './nulCharacters';

describe('findNulCharacter', () => {
  it('names the first string or key holding a NUL character', () => {
    expect(
      findNulCharacter({
        version: '1.0.0',
        checks: [{ name: 'unit-tests' }, { name: 'lint\u0000' }],
      }),
    ).toBe('checks[1].name');
    expect(findNulCharacter({ labels: { 'te\u0000am': 'x' } })).toBe(
      'labels.te\u0000am',
    );
    expect(findNulCharacter('a\u0000b', 'deploymentId')).toBe('deploymentId');
  });

  it('finds nothing in clean input', () => {
    expect(
      findNulCharacter({ version: '1.0.0', count: 3, ok: true, none: null }),
    ).toBeUndefined();
  });
});
