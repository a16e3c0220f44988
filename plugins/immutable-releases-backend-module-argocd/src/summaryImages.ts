import {
  imageDigest,
  isImageOf,
} from 'backstage-plugin-immutable-releases-node';

/** What an Application's `status.summary.images` says of the release repositories. */
export type SummaryDigests =
  | { digests: string[] }
  | { error: 'no-image' | 'no-digest'; images: string[] };

/**
 * The distinct digests of the images in `images` (an Application's
 * `status.summary.images`) whose repository is one of `artifactUris`, in the
 * order Argo CD lists them; or why there is none: no such image, or only
 * references by tag.
 */
export function summaryDigests(
  images: string[],
  artifactUris: string[],
): SummaryDigests {
  const matching = images.filter(image =>
    artifactUris.some(uri => isImageOf(image, uri)),
  );
  if (matching.length === 0) {
    return { error: 'no-image', images };
  }
  const digests = [
    ...new Set(
      matching.flatMap(image => {
        const digest = imageDigest(image);
        return digest ? [digest] : [];
      }),
    ),
  ];
  return digests.length > 0
    ? { digests }
    : { error: 'no-digest', images: matching };
}
