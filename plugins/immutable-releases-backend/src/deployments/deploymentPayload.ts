import {
  artifactRef,
  Deployment,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { DeploymentPayload } from 'backstage-plugin-immutable-releases-node';

/** What an executor is told to deploy: the release pinned by digest, and where. */
export function deploymentPayload(
  deployment: Deployment,
  release: Release,
): DeploymentPayload {
  return {
    deploymentId: deployment.id,
    kind: deployment.kind,
    entityRef: deployment.entityRef,
    environment: deployment.environment,
    artifactRef: artifactRef(release.artifact),
    release: {
      id: release.id,
      version: release.version,
      artifact: release.artifact,
      source: release.source,
      build: release.build,
      labels: release.labels,
    },
  };
}
