import { InTotoStatement } from './attestationBundle';

export const SLSA_PROVENANCE_TYPES: ReadonlySet<string> = new Set([
  'https://slsa.dev/provenance/v1',
  'https://slsa.dev/provenance/v0.2',
]);

/** What the `provenance` gate reads of an SLSA provenance predicate. */
export interface SlsaProvenance {
  builderId: string | null;
  /** The resolved source: repository (without `git+` and ref) and commit, when named. */
  source: { repository: string | null; commit: string | null };
}

/**
 * Reads the builder and the resolved source of an SLSA provenance statement
 * (v1: `runDetails.builder.id` and the git entry of
 * `buildDefinition.resolvedDependencies`; v0.2: `builder.id` and
 * `invocation.configSource`), or null for another predicate type.
 */
export function readSlsaProvenance(
  statement: InTotoStatement,
): SlsaProvenance | null {
  if (!SLSA_PROVENANCE_TYPES.has(statement.predicateType)) {
    return null;
  }
  const predicate = asRecord(statement.predicate);
  if (statement.predicateType === 'https://slsa.dev/provenance/v0.2') {
    const configSource = asRecord(asRecord(predicate.invocation).configSource);
    const materials = Array.isArray(predicate.materials)
      ? predicate.materials.map(asRecord)
      : [];
    return {
      builderId: stringOrNull(asRecord(predicate.builder).id),
      source: gitSource(
        configSource.uri ? [configSource, ...materials] : materials,
      ),
    };
  }
  const buildDefinition = asRecord(predicate.buildDefinition);
  const dependencies = Array.isArray(buildDefinition.resolvedDependencies)
    ? buildDefinition.resolvedDependencies.map(asRecord)
    : [];
  return {
    builderId: stringOrNull(
      asRecord(asRecord(predicate.runDetails).builder).id,
    ),
    source: gitSource(dependencies),
  };
}

/** The first resource that names a git repository, with its commit. */
function gitSource(resources: Array<Record<string, unknown>>) {
  for (const resource of resources) {
    const uri = stringOrNull(resource.uri);
    if (uri?.startsWith('git+')) {
      const digest = asRecord(resource.digest);
      return {
        repository: withoutRef(uri.slice('git+'.length)),
        commit: stringOrNull(digest.gitCommit) ?? stringOrNull(digest.sha1),
      };
    }
  }
  return { repository: null, commit: null };
}

/** `https://host/repo@refs/heads/main` → `https://host/repo` (a user@ before the path stays). */
function withoutRef(uri: string): string {
  const schemeEnd = uri.indexOf('://');
  const pathStart = uri.indexOf('/', schemeEnd === -1 ? 0 : schemeEnd + 3);
  const at = uri.lastIndexOf('@');
  return pathStart !== -1 && at > pathStart ? uri.slice(0, at) : uri;
}

/**
 * A repository URL in a form that compares equal however it is written:
 * without scheme, user, `.git` or trailing slash, lower-cased
 * (`git+https://github.com/Acme/App.git` → `github.com/acme/app`).
 */
export function comparableRepository(repository: string): string {
  return repository
    .trim()
    .toLowerCase()
    .replace(/^git\+/, '')
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^[^@/]+@([^:/]+):/, '$1/')
    .replace(/^[^@/]+@/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

function asRecord(value: unknown): Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, any>)
    : {};
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
