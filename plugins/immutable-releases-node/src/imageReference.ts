/**
 * The repository of an image reference: the reference without its `:tag`
 * and `@digest`. A colon before the last `/` belongs to a registry port
 * (`registry:5000/team/app:1.2` → `registry:5000/team/app`).
 *
 * @public
 */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  return lastColon > lastSlash
    ? withoutDigest.slice(0, lastColon)
    : withoutDigest;
}

/** The digest of a reference or image ID (`…@sha256:…`), if it has one. *
 * @public
 */
export function imageDigest(reference: string): string | undefined {
  const at = reference.lastIndexOf('@');
  return at === -1 ? undefined : reference.slice(at + 1);
}

/**
 * The repository as the registry knows it, so that `nginx`,
 * `docker.io/library/nginx` and `index.docker.io/library/nginx` compare
 * equal, as the container runtime resolves them.
 *
 * @public
 */
export function canonicalRepository(repository: string): string {
  const [first, ...rest] = repository.split('/');
  const hasRegistry =
    rest.length > 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const path = hasRegistry ? rest : [first, ...rest];
  if (registry === 'docker.io' || registry === 'index.docker.io') {
    return `docker.io/${
      path.length === 1 ? `library/${path[0]}` : path.join('/')
    }`;
  }
  return `${registry}/${path.join('/')}`;
}

/** Whether `image` (any reference) is of the repository `uri`. *
 * @public
 */
export function isImageOf(image: string, uri: string): boolean {
  return (
    canonicalRepository(imageRepository(image)) ===
    canonicalRepository(imageRepository(uri))
  );
}
