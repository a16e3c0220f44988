import { summaryDigests } from './summaryImages';

const URI = 'ghcr.io/acme/checkout';
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

describe('summaryDigests', () => {
  it('reads the digests of the release repositories only', () => {
    expect(
      summaryDigests(
        [
          'ghcr.io/acme/log-shipper:2.1',
          `${URI}@${A}`,
          `${URI}:1.1@${B}`,
          `${URI}@${A}`,
        ],
        ['ghcr.io/acme/legacy', URI],
      ),
    ).toEqual({ digests: [A, B] });
  });

  it('says when no image is of the repositories, or none names a digest', () => {
    expect(summaryDigests(['ghcr.io/acme/other:1'], [URI])).toEqual({
      error: 'no-image',
      images: ['ghcr.io/acme/other:1'],
    });
    expect(summaryDigests([`${URI}:1.0`, 'redis:7'], [URI])).toEqual({
      error: 'no-digest',
      images: [`${URI}:1.0`],
    });
  });
});
