import { parseObservationDetails } from './observationDetails';

const RUNNING = `sha256:${'a'.repeat(64)}`;
const OLD = `sha256:${'b'.repeat(64)}`;
const OLDER = `sha256:${'c'.repeat(64)}`;
const where = { field: 'observations/0/details', digest: RUNNING };

describe('parseObservationDetails', () => {
  it('keeps the instance counts, the other digests with the most instances first', () => {
    expect(
      parseObservationDetails(
        {
          instances: 5,
          otherDigests: [
            { digest: OLDER, instances: 1 },
            { digest: OLD, instances: 3 },
          ],
        },
        where,
      ),
    ).toEqual({
      instances: 5,
      otherDigests: [
        { digest: OLD, instances: 3 },
        { digest: OLDER, instances: 1 },
      ],
    });
    expect(parseObservationDetails(undefined, where)).toBeUndefined();
    expect(parseObservationDetails({}, where)).toEqual({});
  });

  it.each([
    [[], 'observations/0/details must be an object'],
    [{ pods: 3 }, 'observations/0/details/pods is not a known property'],
    [
      { instances: 0 },
      'observations/0/details/instances must be a whole number of at least 1, got 0',
    ],
    [
      { instances: 1.5 },
      'observations/0/details/instances must be a whole number of at least 1, got 1.5',
    ],
    [
      { otherDigests: { digest: OLD } },
      'observations/0/details/otherDigests must be an array',
    ],
    [
      { otherDigests: [{ digest: 'sha256:ABC', instances: 1 }] },
      "observations/0/details/otherDigests/0/digest must be sha256:<64 hex> or sha512:<128 hex>, lower-case, got 'sha256:ABC'",
    ],
    [
      { otherDigests: [{ digest: RUNNING, instances: 1 }] },
      `observations/0/details/otherDigests/0/digest ${RUNNING} is the observed digest`,
    ],
    [
      {
        otherDigests: [
          { digest: OLD, instances: 1 },
          { digest: OLD, instances: 2 },
        ],
      },
      `observations/0/details/otherDigests/1/digest ${OLD} is listed twice`,
    ],
    [
      { otherDigests: [{ digest: OLD }] },
      'observations/0/details/otherDigests/0/instances must be a whole number of at least 1, got undefined',
    ],
    [
      {
        otherDigests: Array.from({ length: 21 }, (_, i) => ({
          digest: `sha256:${i.toString(16).padStart(64, '0')}`,
          instances: 1,
        })),
      },
      'observations/0/details/otherDigests must hold at most 20 digests, got 21',
    ],
  ])('refuses %j naming the field', (details, message) => {
    expect(() => parseObservationDetails(details, where)).toThrow(message);
  });
});
