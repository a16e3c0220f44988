import {
  BUILDER_ID,
  provenanceStatement,
  statement,
} from '../__testUtils__/sigstoreBundles';
import { comparableRepository, readSlsaProvenance } from './slsaProvenance';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('readSlsaProvenance', () => {
  it('reads the builder and the git dependency of SLSA v1 provenance', () => {
    expect(
      readSlsaProvenance(
        provenanceStatement({
          digest: DIGEST,
          repository: 'https://github.com/acme/checkout',
          commit: '0123abc',
        }),
      ),
    ).toEqual({
      builderId: BUILDER_ID,
      source: {
        repository: 'https://github.com/acme/checkout',
        commit: '0123abc',
      },
    });
  });

  it('reads the builder and the config source of SLSA v0.2 provenance', () => {
    const v02 = statement({
      subjectDigests: [DIGEST],
      predicateType: 'https://slsa.dev/provenance/v0.2',
      predicate: {
        builder: { id: 'https://ci.example.com/builder' },
        invocation: {
          configSource: {
            uri: 'git+https://github.com/acme/checkout@refs/tags/v1.0.0',
            digest: { sha1: 'fedcba9' },
          },
        },
      },
    });
    expect(readSlsaProvenance(v02)).toEqual({
      builderId: 'https://ci.example.com/builder',
      source: {
        repository: 'https://github.com/acme/checkout',
        commit: 'fedcba9',
      },
    });
  });

  it('says what it cannot find, and ignores other predicate types', () => {
    const empty = statement({
      subjectDigests: [DIGEST],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { runDetails: 'not an object' },
    });
    expect(readSlsaProvenance(empty)).toEqual({
      builderId: null,
      source: { repository: null, commit: null },
    });
    expect(
      readSlsaProvenance(statement({ subjectDigests: [DIGEST] })),
    ).toBeNull();
  });
});

describe('comparableRepository', () => {
  it.each([
    'https://github.com/acme/checkout',
    'https://github.com/Acme/Checkout.git',
    'git+https://github.com/acme/checkout/',
    'git@github.com:acme/checkout.git',
    'ssh://git@github.com/acme/checkout',
  ])('reads %s as github.com/acme/checkout', repository => {
    expect(comparableRepository(repository)).toBe('github.com/acme/checkout');
  });

  it('keeps different repositories apart', () => {
    expect(comparableRepository('https://github.com/acme/checkout2')).not.toBe(
      comparableRepository('https://github.com/acme/checkout'),
    );
  });
});
