import { InputError } from '@backstage/errors';
import {
  isValidDigest,
  RegisterReleaseRequest,
} from 'backstage-plugin-immutable-releases-common';

/**
 * Refuses a registration whose version or artifact is not an exact identity:
 * a version that another spelling could duplicate (`1.0 ` beside `1.0`, NFD
 * beside NFC), a digest that is not one, or an artifact URI that carries a
 * tag or digest of its own (the release is pinned by `artifact.digest` alone).
 * Throws an InputError naming the field.
 */
export function checkReleaseIdentity(request: RegisterReleaseRequest): void {
  const { version, artifact } = request;
  if (version !== version.trim()) {
    throw new InputError('version must not start or end with whitespace');
  }
  if (version !== version.normalize('NFC')) {
    throw new InputError(
      "version must be in Unicode normalization form NFC (as version.normalize('NFC') gives)",
    );
  }
  if (!isValidDigest(artifact.digest)) {
    throw new InputError(
      'artifact.digest must be sha256:<64 hex> or sha512:<128 hex>, lower-case',
    );
  }
  if (/\s/.test(artifact.uri)) {
    throw new InputError('artifact.uri must not contain whitespace');
  }
  if (artifact.type === 'oci-image') {
    if (artifact.uri.includes('@')) {
      throw new InputError(
        'artifact.uri must not carry a digest (@…): give it in artifact.digest',
      );
    }
    const lastSegment = artifact.uri.slice(artifact.uri.lastIndexOf('/') + 1);
    if (lastSegment.includes(':')) {
      throw new InputError(
        'artifact.uri must not carry a tag (:…): an image is pinned by artifact.digest alone',
      );
    }
  }
}
