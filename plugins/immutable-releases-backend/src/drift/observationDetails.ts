import { InputError } from '@backstage/errors';
import {
  isValidDigest,
  ObservationDetails,
} from 'backstage-plugin-immutable-releases-common';

const MAX_OTHER_DIGESTS = 20;

/**
 * Checks an observation's details as reported by an observation source or a
 * client, naming the field of the first problem (`field` is the details'
 * own, e.g. `observations/3/details`); answers them in a canonical form.
 */
export function parseObservationDetails(
  details: unknown,
  { field, digest }: { field: string; digest: string },
): ObservationDetails | undefined {
  if (details === undefined) {
    return undefined;
  }
  if (!isPlainObject(details)) {
    throw new InputError(`${field} must be an object`);
  }
  const unknownKey = Object.keys(details).find(
    key => key !== 'instances' && key !== 'otherDigests',
  );
  if (unknownKey) {
    throw new InputError(`${field}/${unknownKey} is not a known property`);
  }
  const parsed: ObservationDetails = {};
  if (details.instances !== undefined) {
    parsed.instances = instanceCount(details.instances, `${field}/instances`);
  }
  if (details.otherDigests !== undefined) {
    parsed.otherDigests = otherDigests(details.otherDigests, {
      field: `${field}/otherDigests`,
      digest,
    });
  }
  return parsed;
}

function otherDigests(
  value: unknown,
  { field, digest }: { field: string; digest: string },
): NonNullable<ObservationDetails['otherDigests']> {
  if (!Array.isArray(value)) {
    throw new InputError(`${field} must be an array`);
  }
  if (value.length > MAX_OTHER_DIGESTS) {
    throw new InputError(
      `${field} must hold at most ${MAX_OTHER_DIGESTS} digests, got ${value.length}`,
    );
  }
  const seen = new Set([digest]);
  return value
    .map((item: unknown, index) => {
      const itemField = `${field}/${index}`;
      if (!isPlainObject(item)) {
        throw new InputError(`${itemField} must be an object`);
      }
      if (typeof item.digest !== 'string' || !isValidDigest(item.digest)) {
        throw new InputError(
          `${itemField}/digest must be sha256:<64 hex> or sha512:<128 hex>, lower-case, got '${item.digest}'`,
        );
      }
      if (seen.has(item.digest)) {
        throw new InputError(
          `${itemField}/digest ${item.digest} is ${
            item.digest === digest ? 'the observed digest' : 'listed twice'
          }`,
        );
      }
      seen.add(item.digest);
      return {
        digest: item.digest,
        instances: instanceCount(item.instances, `${itemField}/instances`),
      };
    })
    .sort((a, b) => b.instances - a.instances);
}

function instanceCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(
      `${field} must be a whole number of at least 1, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
