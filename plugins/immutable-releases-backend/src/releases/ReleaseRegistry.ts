import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Page,
  RegisterReleaseRequest,
  Release,
  ReleaseAttestation,
  ReleaseCheck,
} from 'backstage-plugin-immutable-releases-common';
import {
  byCheckName,
  NewCheck,
  NewRelease,
  toReleaseAttestation,
  toReleaseCheck,
} from '../database/ReleaseStore';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { PageRequest } from '../database/pagination';
import { JsonText } from '../database/jsonColumns';
import { AuditTrail } from '../audit/AuditTrail';
import {
  attestationRecordedEvent,
  readNewAttestations,
  recordAttestations,
} from '../attestations/newAttestations';
import {
  EntityPipelines,
  normalizeEntityRef,
} from '../pipelines/EntityPipelines';
import { canonicalJson } from './canonicalJson';
import { checkReleaseIdentity } from './releaseIdentity';

export type CheckInput = Pick<
  ReleaseCheck,
  'name' | 'status' | 'url' | 'summary'
>;

/**
 * Told of each newly registered release; answers whether it may have
 * requested deployments of it (then the registration's answer reads them).
 */
export type RegistrationListener = (release: Release) => Promise<boolean>;

/** Registers immutable releases and their append-only attachments. */
export class ReleaseRegistry {
  private readonly newReleaseListeners: RegistrationListener[] = [];

  constructor(
    private readonly db: ReleasesDatabase,
    private readonly entities: EntityPipelines,
    private readonly audit: AuditTrail,
    private readonly clock: () => Date,
    private readonly logger: LoggerService,
  ) {}

  /** Called once per newly registered release (not for an idempotent repeat). */
  onRegistered(listener: RegistrationListener) {
    this.newReleaseListeners.push(listener);
  }

  /**
   * Registers a release. The identical request again answers the existing
   * release (`created: false`); the same version with other identity fields
   * is a conflict. Checks and attestations are not identity: a repeat records
   * those not recorded yet.
   */
  async register(
    request: RegisterReleaseRequest,
    actor: string,
  ): Promise<{ release: Release; created: boolean }> {
    checkReleaseIdentity(request);
    const { entityRef } = await this.entities.resolve(request.entityRef);
    const now = this.clock().toISOString();
    const attestations = readNewAttestations(
      (request.attestations ?? []).map(({ bundle }, index) => ({
        field: `attestations[${index}].bundle`,
        bundle,
      })),
      request.artifact.digest,
      { at: now, by: actor },
    );
    const candidate: NewRelease = {
      id: randomUUID(),
      entityRef,
      version: request.version,
      artifact: {
        type: request.artifact.type,
        uri: request.artifact.uri,
        digest: request.artifact.digest,
      },
      source: request.source ?? {},
      build: request.build ?? {},
      labels: request.labels ?? {},
      createdAt: now,
      createdBy: actor,
    };

    const checks = (request.checks ?? []).map(check => ({
      ...check,
      recordedAt: now,
      recordedBy: actor,
    }));
    const events = this.audit.stamp([
      {
        type: 'release.registered',
        entityRef,
        releaseId: candidate.id,
        actor,
        details: {
          version: candidate.version,
          artifact: candidate.artifact,
          checks: checks.map(c => ({ name: c.name, status: c.status })),
        },
      },
      ...attestations.map(a => attestationRecordedEvent(candidate, a)),
    ]);
    // Insert first: a repeated registration is the exception, and the unique
    // index on (entity, version) decides a race between two of them.
    if (
      (await this.db.registerRelease(
        candidate,
        checks,
        attestations,
        events,
      )) === 'conflict'
    ) {
      const existing = await this.db.releases.getReleaseByVersion(
        entityRef,
        request.version,
      );
      const release = await this.sameOrConflict(existing!, candidate);
      // Checks and attestations are not identity: a repeated registration
      // records the checks that changed and the bundles not recorded yet, as
      // POST …/checks and …/attestations would, and answers the release with
      // them.
      const changed = checks.filter(check => !isRecorded(check, release));
      const added = await recordAttestations(
        this.db,
        this.audit,
        release,
        attestations,
      );
      if (changed.length === 0 && !added.some(a => a.created)) {
        return { release, created: false };
      }
      if (changed.length > 0) {
        await this.recordChecks(release, changed, actor);
      }
      return { release: (await this.getRelease(release.id))!, created: false };
    }
    await this.audit.publish(events);

    // The answer is built from what was just written rather than read back.
    const release: Release = {
      ...candidate,
      checks: latestPerName(checks),
      revocation: null,
      deployments: [],
      attestations: attestations.map(toReleaseAttestation),
    };
    // The release is stored: what listeners do next (automatic promotion)
    // must not turn its registration into an error the caller would retry.
    let deploymentsRequested = false;
    for (const listener of this.newReleaseListeners) {
      const requested = await listener(release).catch(error => {
        this.logger.error(
          `After release ${candidate.version} of ${candidate.entityRef} was registered`,
          error,
        );
        return true;
      });
      deploymentsRequested ||= requested;
    }
    if (deploymentsRequested) {
      return {
        release: (await this.db.releases.getReleaseWithAttachments(
          release.id,
        ))!,
        created: true,
      };
    }
    return { release, created: true };
  }

  /** A release with its latest checks, revocation and latest deployment per environment. */
  async getRelease(releaseId: string): Promise<Release | undefined> {
    return this.db.releases.getReleaseWithAttachments(releaseId);
  }

  async requireRelease(releaseId: string): Promise<Release> {
    const release = await this.getRelease(releaseId);
    if (!release) {
      throw new NotFoundError(`release ${releaseId} does not exist`);
    }
    return release;
  }

  /**
   * A page of the entity's releases, newest first; with `version`, the page
   * holding the one release of that version, or an empty page.
   */
  async listReleases(
    entityRef: string,
    page: PageRequest & { version?: string },
  ): Promise<Page<JsonText<Release>>> {
    return this.db.releases.listReleasesAsJson(
      normalizeEntityRef(entityRef),
      page,
    );
  }

  /** The entity's release of exactly this version, with its attachments. */
  async findReleaseByVersion(
    entityRef: string,
    version: string,
  ): Promise<Release | undefined> {
    const stored = await this.db.releases.getReleaseByVersion(
      normalizeEntityRef(entityRef),
      version,
    );
    return stored ? this.getRelease(stored.id) : undefined;
  }

  async addCheck(
    releaseId: string,
    check: CheckInput,
    actor: string,
  ): Promise<ReleaseCheck> {
    const release = await this.requireRelease(releaseId);
    const [stored] = await this.recordChecks(
      release,
      [{ ...check, recordedAt: this.clock().toISOString(), recordedBy: actor }],
      actor,
    );
    return stored;
  }

  /** Appends check records, with a `check.recorded` event each, in one transaction. */
  private async recordChecks(
    release: Release,
    checks: NewCheck[],
    actor: string,
  ): Promise<ReleaseCheck[]> {
    const { stored, events } = await this.db.transaction(async stores => {
      // One after the other: of two records of a name, the later one counts.
      const added: ReleaseCheck[] = [];
      for (const check of checks) {
        added.push(await stores.releases.addCheck(release.id, check));
      }
      return {
        stored: added,
        events: await this.audit.record(
          stores,
          checks.map(check => ({
            type: 'check.recorded',
            entityRef: release.entityRef,
            releaseId: release.id,
            actor,
            details: {
              version: release.version,
              name: check.name,
              status: check.status,
            },
          })),
        ),
      };
    });
    await this.audit.publish(events);
    return stored;
  }

  /**
   * Records an attestation (a Sigstore bundle naming the release digest);
   * the same bundle again answers the earlier record (`created: false`).
   */
  async addAttestation(
    releaseId: string,
    bundle: unknown,
    actor: string,
  ): Promise<{ attestation: ReleaseAttestation; created: boolean }> {
    const release = await this.requireRelease(releaseId);
    const [attestation] = readNewAttestations(
      [{ field: 'bundle', bundle }],
      release.artifact.digest,
      { at: this.clock().toISOString(), by: actor },
    );
    const [recorded] = await recordAttestations(this.db, this.audit, release, [
      attestation,
    ]);
    return recorded;
  }

  /** The release's attestations, oldest first. */
  async listAttestations(releaseId: string): Promise<ReleaseAttestation[]> {
    await this.requireRelease(releaseId);
    const stored = await this.db.releases.listAttestations(releaseId);
    return stored.map(toReleaseAttestation);
  }

  async revoke(
    releaseId: string,
    reason: string,
    actor: string,
  ): Promise<Release> {
    if (!reason.trim()) {
      throw new InputError('reason is required to revoke a release');
    }
    const release = await this.requireRelease(releaseId);
    const revokedAt = this.clock().toISOString();
    const events = await this.db.transaction(async stores => {
      const result = await stores.releases.revoke(releaseId, {
        reason,
        revokedAt,
        revokedBy: actor,
      });
      if (result === 'already-revoked') {
        throw new ConflictError(
          `release ${release.version} is already revoked`,
        );
      }
      return this.audit.record(stores, [
        {
          type: 'release.revoked',
          entityRef: release.entityRef,
          releaseId,
          actor,
          details: { version: release.version, reason },
        },
      ]);
    });
    await this.audit.publish(events);
    return (await this.getRelease(releaseId))!;
  }

  private async sameOrConflict(
    existing: Release,
    candidate: NewRelease,
  ): Promise<Release> {
    const differences = identityDifferences(existing, candidate);
    if (differences.length > 0) {
      throw new ConflictError(
        `${existing.entityRef} already has release ${
          existing.version
        } with a different ${differences.join(
          ', ',
        )}; releases are immutable, register a new version`,
      );
    }
    return (await this.getRelease(existing.id))!;
  }
}

/** Whether the release's latest check of that name already says the same. */
function isRecorded(check: NewCheck, release: Release): boolean {
  const latest = release.checks?.find(c => c.name === check.name);
  return (
    latest !== undefined &&
    latest.status === check.status &&
    (latest.url ?? null) === (check.url ?? null) &&
    (latest.summary ?? null) === (check.summary ?? null)
  );
}

/**
 * What `latestChecks` answers for checks recorded in this order: the last
 * record per name, ordered by name.
 */
function latestPerName(checks: NewCheck[]): ReleaseCheck[] {
  const latest = new Map<string, NewCheck>();
  for (const check of checks) {
    latest.set(check.name, check);
  }
  return [...latest.values()].sort(byCheckName).map(toReleaseCheck);
}

/** The identity fields in which two registrations of one version differ. */
function identityDifferences(
  existing: Release,
  candidate: NewRelease,
): string[] {
  const fields: Array<[string, unknown, unknown]> = [
    ['artifact', existing.artifact, candidate.artifact],
    ['source', existing.source, candidate.source],
    ['build', existing.build, candidate.build],
    ['labels', existing.labels, candidate.labels],
  ];
  return fields
    .filter(([, a, b]) => canonicalJson(a) !== canonicalJson(b))
    .map(([name]) => name);
}
