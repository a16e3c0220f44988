import { Entity } from '@backstage/catalog-model';
import type { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  Deployment,
  EnvironmentStatus,
  FleetEntity,
  FleetEnvironment,
  GateResult,
  GatesRefusedError,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { ImmutableReleasesApi } from '../api/ImmutableReleasesApi';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: { 'immutable-releases/pipeline': 'default' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};
export const entityRef = 'component:default/shop';

/**
 * Another entity, for tests that deny permissions: `usePermission` caches decisions per
 * permission and resource across renders, so a denial needs a resource of its own.
 */
export const deniedEntity: Entity = {
  ...entity,
  metadata: { ...entity.metadata, name: 'locked-shop' },
};
export const deniedEntityRef = 'component:default/locked-shop';

/** A valid sha256 digest whose hex starts with `prefix` (hex characters only). */
export function digest(prefix: string): string {
  return `sha256:${prefix.padEnd(64, '0')}`;
}

export function release(
  overrides: Partial<Release> & { version: string },
): Release {
  const id = overrides.id ?? `release-${overrides.version}`;
  return {
    id,
    entityRef,
    artifact: {
      type: 'oci-image',
      uri: 'ghcr.io/acme/shop',
      digest: digest(overrides.version.replace(/[^0-9]/g, '')),
    },
    source: {
      repository: 'https://github.com/acme/shop',
      commit: '9c1d2e3f4a5b6c7d8e9f',
    },
    build: {},
    labels: {},
    createdAt: '2024-05-01T10:00:00.000Z',
    createdBy: 'ci-pipeline',
    checks: [],
    revocation: null,
    deployments: [],
    ...overrides,
  };
}

export function deployment(
  overrides: Partial<Deployment> & { environment: string; version: string },
): Deployment {
  const { version, ...rest } = overrides;
  const releaseId = overrides.releaseId ?? `release-${version}`;
  return {
    id: `deployment-${overrides.environment}-${version}`,
    entityRef,
    releaseId,
    release: {
      id: releaseId,
      version,
      artifact: {
        type: 'oci-image',
        uri: 'ghcr.io/acme/shop',
        digest: digest(version.replace(/[^0-9]/g, '')),
      },
    },
    kind: 'promotion',
    status: 'succeeded',
    reason: null,
    requestedBy: 'user:default/alice',
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:05:00.000Z',
    transitions: [],
    gates: [],
    approvals: [],
    executor: null,
    ...rest,
  };
}

/** A promotion waiting in `pending` for approvals. */
export function waitingDeployment(
  overrides: Partial<Deployment> & {
    environment: string;
    version: string;
    required?: number;
  },
): Deployment {
  const { required = 1, ...rest } = overrides;
  return deployment({
    status: 'pending',
    reason: null,
    gates: [
      { name: 'upstream', passed: true, message: 'succeeded in staging' },
      {
        name: 'approvals',
        passed: false,
        message: `waits for ${required} approval${required === 1 ? '' : 's'}`,
      },
    ],
    ...rest,
  });
}

/** One entity of the fleet view with the given environments. */
export function fleetEntity(
  ref: string,
  environments: Array<Partial<FleetEnvironment> & { name: string }>,
  pipeline = 'default',
): FleetEntity {
  return {
    entityRef: ref,
    pipeline,
    environments: environments.map(each => ({
      currentRelease: null,
      drift: { status: 'unknown' },
      held: false,
      pendingCount: 0,
      ...each,
    })),
  };
}

export function environment(
  overrides: Partial<EnvironmentStatus> & { name: string },
): EnvironmentStatus {
  return {
    from: null,
    currentRelease: null,
    currentDeployment: null,
    pendingDeployments: [],
    drift: { status: 'unknown', observedDigest: null, observedAt: null },
    hold: null,
    ...overrides,
  };
}

export function currentRelease(version: string, revoked = false) {
  return {
    id: `release-${version}`,
    version,
    artifact: {
      type: 'oci-image' as const,
      uri: 'ghcr.io/acme/shop',
      digest: digest(version.replace(/[^0-9]/g, '')),
    },
    revoked,
  };
}

/** Every method rejects unless the test says otherwise: nothing answers by accident. */
export function mockImmutableReleasesApi(): jest.Mocked<ImmutableReleasesApi> {
  const unexpected = (name: string) =>
    jest.fn(async (..._args: any[]): Promise<never> => {
      throw new Error(`unexpected call to ${name}`);
    });
  return {
    listReleases: unexpected('listReleases'),
    getRelease: unexpected('getRelease'),
    getEnvironments: unexpected('getEnvironments'),
    listDeployments: unexpected('listDeployments'),
    getDeployment: unexpected('getDeployment'),
    listEvents: unexpected('listEvents'),
    getMetrics: unexpected('getMetrics'),
    dryRunPromotion: unexpected('dryRunPromotion'),
    promote: unexpected('promote'),
    rollback: unexpected('rollback'),
    listApprovals: unexpected('listApprovals'),
    decideApproval: unexpected('decideApproval'),
    cancelDeployment: unexpected('cancelDeployment'),
    listFleet: unexpected('listFleet'),
    releaseHold: unexpected('releaseHold'),
    revokeRelease: unexpected('revokeRelease'),
  } as unknown as jest.Mocked<ImmutableReleasesApi>;
}

const ALLOW = 'ALLOW' as AuthorizeResult.ALLOW;
const DENY = 'DENY' as AuthorizeResult.DENY;

/** A permission API that denies exactly the named permissions. */
export function permissionApiDenying(...denied: string[]) {
  return mockApis.permission({
    authorize: request =>
      denied.includes(request.permission.name) ? DENY : ALLOW,
  });
}

/** A thrown error shaped like the client's `ResponseError`. */
export function responseError(
  statusCode: number,
  name: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  const cause = Object.assign(new Error(message), { name });
  return Object.assign(new Error(`Request failed with ${statusCode}`), {
    name: 'ResponseError',
    statusCode,
    cause,
    body: {
      error: { name, message },
      response: { statusCode },
      ...extra,
    },
  });
}

/** What the API rejects a promotion with when its gates refuse it. */
export async function gatesRefusedError(
  gates: GateResult[],
): Promise<GatesRefusedError> {
  const body = {
    error: { name: 'ConflictError', message: 'gates failed' },
    response: { statusCode: 409 },
    gates,
  };
  const response = await ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status: 409,
      statusText: 'Conflict',
      headers: { 'Content-Type': 'application/json' },
    }),
  );
  return new GatesRefusedError(gates, response);
}
