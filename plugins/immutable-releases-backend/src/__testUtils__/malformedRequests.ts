import { spec } from '../schema/openapi.generated';

/**
 * Requests no route may accept, for every route of the OpenAPI document: bad
 * path parameters, bodies of the wrong shape or with bad text, bad queries.
 */
const CHECKOUT_PATH_PARAMETERS: Record<string, string> = {
  kind: 'component',
  namespace: 'default',
  name: 'checkout',
};

export function malformedRequests(releaseId: string) {
  const badSegments = [
    'a%00b',
    '%ED%A0%80',
    '%',
    '..',
    '%2e%2e',
    "x'; drop table releases; --",
    'x'.repeat(3000),
  ];
  const badBodies: Array<string | undefined> = [
    undefined,
    '',
    'null',
    '[]',
    '"text"',
    '{"entityRef":',
    '{}',
    JSON.stringify({ entityRef: 12, version: {}, releaseId: [] }),
    JSON.stringify({
      entityRef: 'component:default/checkout',
      version: '9.9.9\u0000',
      releaseId: `${releaseId}\u0000`,
      environment: 'staging\uD800',
      reason: 'x',
      decision: 'approve',
      status: 'succeeded',
      name: 'n',
      observations: [{ entityRef: '\u0000' }],
    }),
    `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  ];
  const badQueries: Array<Record<string, string>> = [
    { limit: '-1' },
    { limit: 'many' },
    { cursor: '!!!' },
    { cursor: Buffer.from('{"seq":-1}').toString('base64url') },
    { environment: 'a\u0000b' },
    { days: '0' },
    { unknown: 'x' },
  ];
  const calls: Array<{
    method: 'get' | 'post' | 'delete';
    path: string;
    body?: string;
    query?: Record<string, string>;
  }> = [];
  for (const [template, operations] of Object.entries(spec.paths)) {
    for (const method of Object.keys(operations) as Array<
      'get' | 'post' | 'delete'
    >) {
      const fill = (value: string) =>
        template.replace(
          /\{(\w+)\}/g,
          (_m, name: string) => CHECKOUT_PATH_PARAMETERS[name] ?? value,
        );
      if (template.includes('{')) {
        for (const segment of badSegments) {
          calls.push({
            method,
            path: template.replace(/\{\w+\}/g, segment),
            body: method === 'post' ? '{}' : undefined,
          });
        }
      }
      const path = fill(releaseId);
      if (method === 'post') {
        for (const body of badBodies) {
          calls.push({ method, path, body });
        }
      } else if (method === 'get' && template !== '/health') {
        for (const query of badQueries) {
          calls.push({ method, path, query });
        }
      }
    }
  }
  return calls;
}
