import { z } from 'zod/v3';
import { spec } from '../schema/openapi.generated';
import {
  componentSchema,
  requestInteger,
  requestString,
  responseSchema,
} from './openApiSchemas';

const deployment = {
  id: 'd-1',
  entityRef: 'component:default/checkout',
  environment: 'staging',
  releaseId: 'r-1',
  release: {
    id: 'r-1',
    version: '1.0.0',
    artifact: {
      type: 'oci-image',
      uri: 'ghcr.io/acme/checkout',
      digest: `sha256:${'ab'.repeat(32)}`,
    },
  },
  kind: 'promotion',
  status: 'pending',
  reason: null,
  requestedBy: 'user:default/alice',
  createdAt: '2024-05-01T12:00:00.000Z',
  updatedAt: '2024-05-01T12:00:00.000Z',
  transitions: [],
  gates: [{ name: 'approvals', passed: false, message: 'needs 1 approval' }],
  approvals: [],
  executor: null,
};

describe('the actions’ schemas from the OpenAPI document', () => {
  it('converts every schema of the document', () => {
    for (const name of Object.keys(spec.components.schemas)) {
      expect(() =>
        componentSchema(z, name as keyof typeof spec.components.schemas),
      ).not.toThrow();
    }
  });

  it('requires what the document requires and allows null where it does', () => {
    const schema = responseSchema(z, 'Deployment');

    expect(schema.parse(deployment)).toEqual(deployment);
    const { status: _status, ...withoutStatus } = deployment;
    expect(schema.safeParse(withoutStatus).success).toBe(false);
    expect(schema.safeParse({ ...deployment, kind: 'redeploy' }).success).toBe(
      false,
    );
    expect(schema.safeParse({ ...deployment, reason: undefined }).success).toBe(
      false,
    );
  });

  it('keeps properties an open object does not name, and drops them from a closed one', () => {
    const parsed = responseSchema(z, 'Deployment').parse({
      ...deployment,
      addedLater: true,
      release: {
        ...deployment.release,
        artifact: { ...deployment.release.artifact, tag: 'latest' },
      },
    });

    expect(parsed.addedLater).toBe(true);
    expect(parsed.release.artifact).toEqual(deployment.release.artifact);
  });

  it('puts the limits of the REST requests on request fields', () => {
    const environment = requestString(
      z,
      spec.components.schemas.PromotionRequest.properties.environment,
    );
    expect(environment.safeParse('staging').success).toBe(true);
    expect(environment.safeParse('').success).toBe(false);
    expect(environment.safeParse('x'.repeat(201)).success).toBe(false);

    const digest = requestString(z, spec.components.schemas.Digest);
    expect(digest.safeParse(`sha256:${'ab'.repeat(32)}`).success).toBe(true);
    expect(digest.safeParse('sha256:AB').success).toBe(false);

    const limit = requestInteger(z, spec.components.parameters.limit.schema);
    expect([0, 1, 200, 201, 1.5].map(n => limit.safeParse(n).success)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });
});
