import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { promotionApprovePermission } from 'backstage-plugin-immutable-releases-common';
import { RequestAccess } from './RequestAccess';

/** A permission service whose policy gives `overall`, and allows per entity only `allowed`. */
function permissionsDeciding(
  overall: PolicyDecision | Error,
  allowed: string[],
) {
  const calls: string[] = [];
  const permissions: PermissionsService = {
    async authorizeConditional(queries) {
      calls.push('conditional');
      if (overall instanceof Error) {
        throw overall;
      }
      return queries.map(() => overall) as any;
    },
    async authorize(requests) {
      calls.push(
        `authorize ${requests.map(r => (r as any).resourceRef).join(',')}`,
      );
      return requests.map(request => ({
        result: allowed.includes((request as any).resourceRef)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    },
  };
  const access = new RequestAccess({
    auth: mockServices.auth(),
    httpAuth: mockServices.httpAuth(),
    permissions,
  });
  return { access, calls };
}

describe('RequestAccess.entitiesAllowedBy', () => {
  const credentials = mockCredentials.user('user:default/alice');
  const batches = [
    ['component:default/a', 'component:default/b'],
    ['component:default/c'],
  ];

  it.each([
    [AuthorizeResult.ALLOW, batches],
    [AuthorizeResult.DENY, [[], []]],
  ] as const)(
    'asks the policy once when its answer is a definite %s, whatever the batches',
    async (result, expected) => {
      const { access, calls } = permissionsDeciding({ result }, []);
      const allowedIn = access.entitiesAllowedBy(
        credentials,
        promotionApprovePermission,
      );
      for (const [index, batch] of batches.entries()) {
        expect([...(await allowedIn(batch))]).toEqual(expected[index]);
      }
      expect(calls).toEqual(['conditional']);
    },
  );

  it('settles a conditional answer entity by entity, batch by batch', async () => {
    const { access, calls } = permissionsDeciding(
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['group:default/payments'] },
        },
      },
      ['component:default/b', 'component:default/c'],
    );
    const allowedIn = access.entitiesAllowedBy(
      credentials,
      promotionApprovePermission,
    );
    expect([...(await allowedIn(batches[0]))]).toEqual(['component:default/b']);
    expect([...(await allowedIn(batches[1]))]).toEqual(['component:default/c']);
    expect(calls).toEqual([
      'conditional',
      'authorize component:default/a,component:default/b',
      'authorize component:default/c',
    ]);
  });

  it('settles entity by entity where the policy cannot be asked at all', async () => {
    const { access, calls } = permissionsDeciding(
      new Error('Direct user requests without a resourceRef are not allowed'),
      ['component:default/a'],
    );
    const allowedIn = access.entitiesAllowedBy(
      credentials,
      promotionApprovePermission,
    );
    expect([...(await allowedIn(batches[0]))]).toEqual(['component:default/a']);
    expect(calls).toEqual([
      'conditional',
      'authorize component:default/a,component:default/b',
    ]);
  });
});
