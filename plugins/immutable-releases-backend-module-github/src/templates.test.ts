import type { DeploymentPayload } from 'backstage-plugin-immutable-releases-node';
import {
  renderTemplate,
  renderTemplates,
  TemplateError,
  validateTemplate,
} from './templates';

const DIGEST = `sha256:${'a'.repeat(64)}`;

const context = {
  payload: {
    deploymentId: 'dep-1',
    kind: 'promotion',
    entityRef: 'component:default/checkout',
    environment: 'production',
    artifactRef: `ghcr.io/acme/checkout@${DIGEST}`,
    release: {
      id: 'rel-1',
      version: '1.2.3',
      artifact: {
        type: 'oci-image',
        uri: 'ghcr.io/acme/checkout',
        digest: DIGEST,
      },
      source: {},
      build: {},
      labels: { channel: 'stable' },
    },
  } as DeploymentPayload,
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      annotations: { 'github.com/project-slug': 'acme/checkout' },
    },
  },
};

describe('renderTemplate', () => {
  it.each([
    ['{{ deployment.artifactRef }}', `ghcr.io/acme/checkout@${DIGEST}`],
    ['{{deployment.environment}}', 'production'],
    ['{{ environment }}', 'production'],
    ['v{{ deployment.release.version }}', 'v1.2.3'],
    ['{{ deployment.release.artifact.digest }}', DIGEST],
    ["{{ deployment.release.labels['channel'] }}", 'stable'],
    ['{{ deployment.deploymentId }}/{{ deployment.kind }}', 'dep-1/promotion'],
    ['{{ deployment.entityRef }}', 'component:default/checkout'],
    ['acme/{{ entity.metadata.name }}', 'acme/checkout'],
    ['{{ entity.kind }}:{{ entity.metadata.namespace }}', 'Component:default'],
    [
      '{{ entity.metadata.annotations["github.com/project-slug"] }}',
      'acme/checkout',
    ],
    ['no placeholder', 'no placeholder'],
  ])('renders %s', (template, expected) => {
    expect(renderTemplate(template, context)).toBe(expected);
  });

  it('names the entity and the placeholder when a value is missing', () => {
    expect(() =>
      renderTemplate("{{ entity.metadata.labels['team'] }}", context),
    ).toThrow(
      new TemplateError(
        "component:default/checkout has no value for {{ entity.metadata.labels['team'] }} in '{{ entity.metadata.labels['team'] }}'",
      ),
    );
  });

  it('renders every template of a map', () => {
    expect(
      renderTemplates(
        { image: '{{ deployment.artifactRef }}', dry_run: 'false' },
        context,
      ),
    ).toEqual({ image: `ghcr.io/acme/checkout@${DIGEST}`, dry_run: 'false' });
  });
});

describe('validateTemplate', () => {
  it('refuses an unknown placeholder, listing the supported ones', () => {
    expect(() => validateTemplate('{{ release.version }}')).toThrow(
      /^unknown placeholder \{\{ release\.version \}\} in '\{\{ release\.version \}\}'; supported: \{\{ deployment\.deploymentId \}\}, /,
    );
  });

  it('refuses unbalanced braces', () => {
    expect(() => validateTemplate('{{ environment }')).toThrow(
      "'{{ environment }' has an unbalanced '{{' or '}}'",
    );
  });
});
