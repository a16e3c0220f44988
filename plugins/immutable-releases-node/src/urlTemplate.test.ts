import { Entity } from '@backstage/catalog-model';
import {
  assertKeepsLiteralPrefix,
  redactUrl,
  renderUrlTemplate,
  UrlTemplateError,
  validateUrlTemplate,
} from './urlTemplate';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'payments',
    annotations: { 'acme.com/host': 'checkout.internal:8080' },
    labels: { tier: 'front end' },
  },
};

describe('renderUrlTemplate', () => {
  it('fills every supported placeholder, URL-encoded, with or without spaces', () => {
    expect(
      renderUrlTemplate(
        'https://{{ entity.metadata.name }}.example.com/{{entity.metadata.namespace}}/{{ environment }}/{{ entity.kind }}?host={{ entity.metadata.annotations[\'acme.com/host\'] }}&tier={{ entity.metadata.labels["tier"] }}',
        { entity, environment: 'prod/eu' },
      ),
    ).toBe(
      'https://checkout.example.com/payments/prod%2Feu/Component?host=checkout.internal%3A8080&tier=front%20end',
    );
  });

  it('uses the default namespace when the entity has none', () => {
    expect(
      renderUrlTemplate('http://x/{{ entity.metadata.namespace }}', {
        entity: { ...entity, metadata: { name: 'checkout' } },
        environment: 'staging',
      }),
    ).toBe('http://x/default');
  });

  it('refuses an unknown placeholder, naming it and what is supported', () => {
    expect(() =>
      renderUrlTemplate('http://{{ entity.spec.owner }}/', {
        entity,
        environment: 'staging',
      }),
    ).toThrow(
      /unknown placeholder \{\{ entity.spec.owner \}\} in URL template 'http:\/\/\{\{ entity.spec.owner \}\}\/'; supported: .*entity.metadata.name/,
    );
    expect(() => validateUrlTemplate('http://{{ environment }/')).toThrow(
      UrlTemplateError,
    );
  });

  it('says which annotation the entity lacks', () => {
    expect(() =>
      renderUrlTemplate("http://{{ entity.metadata.annotations['nope'] }}/", {
        entity,
        environment: 'staging',
      }),
    ).toThrow("entity component:payments/checkout has no annotation 'nope'");
  });
});

describe('renderUrlTemplate and the path it was given', () => {
  const template =
    "http://fleet.internal/svc/{{ entity.metadata.annotations['probe/path'] }}/version";
  const withPath = (value: string): Entity => ({
    ...entity,
    metadata: { ...entity.metadata, annotations: { 'probe/path': value } },
  });

  it.each(['..', '.'])(
    "refuses a value of '%s', which would move the request up the path",
    value => {
      expect(() =>
        renderUrlTemplate(template, {
          entity: withPath(value),
          environment: 'production',
        }),
      ).toThrow(
        `annotation 'probe/path' of entity component:payments/checkout is '${value}', which would change the URL's path; the URL template uses it in {{ entity.metadata.annotations['probe/path'] }}`,
      );
    },
  );

  it('keeps encoded dots and slashes inside their segment', () => {
    for (const value of ['%2e%2e', '../../admin', '..%2F..']) {
      const rendered = renderUrlTemplate(template, {
        entity: withPath(value),
        environment: 'production',
      });
      expect(new URL(rendered).pathname).toMatch(/^\/svc\/[^/]+\/version$/);
    }
  });
});

describe('assertKeepsLiteralPrefix', () => {
  it('refuses a URL that left the origin or path the template spells out', () => {
    const template = 'http://fleet.internal/svc/{{ environment }}/version';
    expect(() =>
      assertKeepsLiteralPrefix(template, 'http://fleet.internal/version'),
    ).toThrow(
      "URL template 'http://fleet.internal/svc/{{ environment }}/version' rendered http://fleet.internal/version, outside http://fleet.internal/svc/",
    );
    expect(() =>
      assertKeepsLiteralPrefix(template, 'http://elsewhere.internal/svc/x'),
    ).toThrow(UrlTemplateError);
    expect(() =>
      assertKeepsLiteralPrefix(
        template,
        'http://fleet.internal/svc/staging/version',
      ),
    ).not.toThrow();
  });

  it('has nothing to check when a placeholder is in the origin', () => {
    expect(() =>
      assertKeepsLiteralPrefix(
        'https://{{ entity.metadata.name }}.example.com/version',
        'https://checkout.example.com/version',
      ),
    ).not.toThrow();
    expect(() =>
      assertKeepsLiteralPrefix(
        'http://fleet.internal:{{ entity.metadata.annotations["port"] }}/version',
        'http://fleet.internal:8080/version',
      ),
    ).not.toThrow();
  });
});

describe('redactUrl', () => {
  it('drops credentials and the query string, where secrets hide', () => {
    expect(
      redactUrl(
        'https://probe:s3cret@fleet.example.com/checkout/version?token=abc',
      ),
    ).toBe('https://fleet.example.com/checkout/version?…');
    expect(
      redactUrl('http://127.0.0.1:7070/default/checkout/production/health'),
    ).toBe('http://127.0.0.1:7070/default/checkout/production/health');
  });
});
