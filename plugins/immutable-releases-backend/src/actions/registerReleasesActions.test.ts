import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import {
  ALICE,
  BASE,
  CI,
  CI_SUBJECT,
  ENTITY_PATH,
  ENTITY_REF,
  gate,
  getDeployment,
  listDeployments,
  listReleases,
  pluginBackendStarter,
  register,
  Server,
  waitForCurrent,
  waitForDeployment,
} from '../__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const ACTIONS = `${BASE}/.backstage/actions/v1/actions`;
const ACTION_IDS = [
  'immutable-releases:get-environments',
  'immutable-releases:list-releases',
  'immutable-releases:get-deployment',
  'immutable-releases:request-promotion',
  'immutable-releases:request-rollback',
];

/** The policy refuses her promotions and rollbacks; she may read. */
const MALLORY = mockCredentials.user.header('user:default/mallory');
/** The policy refuses him everything of Immutable Releases, reading too. */
const EVE = mockCredentials.user.header('user:default/eve');

const policy: PermissionPolicy = {
  async handle(query, user) {
    const userRef = user?.info.userEntityRef;
    const name = query.permission.name;
    const refused =
      (userRef === 'user:default/mallory' &&
        [
          'immutable-releases.promotion.create',
          'immutable-releases.rollback.create',
        ].includes(name)) ||
      (userRef === 'user:default/eve' &&
        name.startsWith('immutable-releases.'));
    return { result: refused ? AuthorizeResult.DENY : AuthorizeResult.ALLOW };
  },
};

function invoke(
  server: Server,
  actionId: string,
  input: Record<string, unknown>,
  authorization = ALICE,
) {
  return request(server)
    .post(`${ACTIONS}/${actionId}/invoke`)
    .set('Authorization', authorization)
    .send(input);
}

/** Two releases of checkout, both deployed to development one after the other. */
async function twoReleasesInDevelopment(server: Server) {
  const first = await register(server, '1.0.0');
  await waitForCurrent(server, 'development', first.id);
  const second = await register(server, '1.0.1');
  await waitForCurrent(server, 'development', second.id);
  return { first, second };
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'immutable-releases actions on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);

    it('lists the five actions with their schemas and attributes, to users and services', async () => {
      const { server } = await start({ policy });

      const listed = await request(server)
        .get(ACTIONS)
        .set('Authorization', ALICE);

      expect(listed.status).toBe(200);
      const actions = new Map<string, any>(
        listed.body.actions.map((action: { id: string }) => [
          action.id,
          action,
        ]),
      );
      expect([...actions.keys()].sort()).toEqual([...ACTION_IDS].sort());
      const attributesOf = (id: string) => actions.get(id).attributes;
      const read = { readOnly: true, destructive: false, idempotent: true };
      const write = { readOnly: false, destructive: true, idempotent: false };
      expect(ACTION_IDS.map(attributesOf)).toEqual([
        read,
        read,
        read,
        write,
        write,
      ]);
      for (const action of actions.values()) {
        expect(action).toMatchObject({
          pluginId: 'immutable-releases',
          title: expect.any(String),
          description: expect.stringMatching(/permission/),
          schema: {
            input: { type: 'object', additionalProperties: false },
            output: { type: 'object' },
          },
        });
      }

      const promotion = actions.get('immutable-releases:request-promotion');
      expect(promotion.schema.input.required).toEqual([
        'entityRef',
        'environment',
      ]);
      expect(Object.keys(promotion.schema.input.properties).sort()).toEqual([
        'dryRun',
        'entityRef',
        'environment',
        'reason',
        'releaseId',
        'version',
      ]);
      // The limits of POST /v1/promotions.
      expect(promotion.schema.input.properties.entityRef).toMatchObject({
        type: 'string',
        minLength: 1,
        maxLength: 255,
      });
      expect(promotion.schema.output.required).toEqual(['gates']);
      expect(
        actions.get('immutable-releases:request-rollback').schema.input
          .required,
      ).toEqual(['entityRef', 'environment', 'reason']);
      const deployment = actions.get('immutable-releases:get-deployment').schema
        .output;
      expect(deployment.required).toEqual(
        expect.arrayContaining(['status', 'transitions', 'gates', 'executor']),
      );
      expect(deployment.properties.status.enum).toContain('superseded');
      expect(
        actions.get('immutable-releases:list-releases').schema.input.properties
          .limit,
      ).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });

      const asService = await request(server)
        .get(ACTIONS)
        .set('Authorization', CI);
      expect(asService.status).toBe(200);
      expect(
        asService.body.actions.map((action: { id: string }) => action.id),
      ).toEqual(listed.body.actions.map((action: { id: string }) => action.id));
    });

    it('answers the environments, releases and deployments as the REST API does, for a user and a service', async () => {
      const { server } = await start({ policy });
      const { first, second } = await twoReleasesInDevelopment(server);

      const environmentsRoute = await request(server)
        .get(`${ENTITY_PATH}/environments`)
        .set('Authorization', ALICE);
      for (const caller of [ALICE, CI]) {
        const environments = await invoke(
          server,
          'immutable-releases:get-environments',
          { entityRef: 'Component:default/Checkout' },
          caller,
        );
        expect(environments.status).toBe(200);
        expect(environments.body).toEqual({ output: environmentsRoute.body });
      }
      expect(
        environmentsRoute.body.environments.map(
          (environment: { name: string }) => environment.name,
        ),
      ).toEqual(['development', 'staging', 'production']);

      const firstPage = await invoke(
        server,
        'immutable-releases:list-releases',
        {
          entityRef: ENTITY_REF,
          limit: 1,
        },
      );
      expect(firstPage.status).toBe(200);
      expect(firstPage.body.output).toEqual(
        await listReleases(server, { limit: '1' }),
      );
      expect(firstPage.body.output.items[0].id).toBe(second.id);
      const secondPage = await invoke(
        server,
        'immutable-releases:list-releases',
        {
          entityRef: ENTITY_REF,
          limit: 1,
          cursor: firstPage.body.output.nextCursor,
        },
        CI,
      );
      expect(secondPage.body.output).toMatchObject({
        items: [{ id: first.id, version: '1.0.0' }],
        nextCursor: null,
      });
      const byVersion = await invoke(
        server,
        'immutable-releases:list-releases',
        { entityRef: ENTITY_REF, version: '1.0.0' },
      );
      expect(byVersion.body.output).toEqual(
        await listReleases(server, { version: '1.0.0' }),
      );
      expect(
        byVersion.body.output.items.map((r: { id: string }) => r.id),
      ).toEqual([first.id]);

      const deploymentId =
        environmentsRoute.body.environments[0].currentDeployment.id;
      for (const caller of [ALICE, CI]) {
        const deployment = await invoke(
          server,
          'immutable-releases:get-deployment',
          { deploymentId },
          caller,
        );
        expect(deployment.status).toBe(200);
        expect(deployment.body.output).toEqual(
          await getDeployment(server, deploymentId),
        );
      }
      const unknown = await invoke(
        server,
        'immutable-releases:get-deployment',
        {
          deploymentId: 'no-such-deployment',
        },
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');
    });

    it('evaluates, refuses with the gates and requests promotions as the caller', async () => {
      const { server } = await start({ policy });
      const { second } = await twoReleasesInDevelopment(server);
      const toStaging = {
        entityRef: ENTITY_REF,
        version: '1.0.1',
        environment: 'staging',
      };

      const dryRun = await invoke(
        server,
        'immutable-releases:request-promotion',
        { ...toStaging, dryRun: true },
        CI,
      );
      expect(dryRun.status).toBe(200);
      expect(Object.keys(dryRun.body.output)).toEqual(['gates']);
      const restDryRun = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', CI)
        .send({
          entityRef: ENTITY_REF,
          releaseId: second.id,
          environment: 'staging',
          dryRun: true,
        });
      expect(dryRun.body.output.gates).toEqual(restDryRun.body.gates);
      expect(gate(dryRun.body.output.gates, 'required-checks').passed).toBe(
        false,
      );

      const refused = await invoke(
        server,
        'immutable-releases:request-promotion',
        toStaging,
      );
      expect(refused.status).toBe(409);
      expect(refused.body.error.name).toBe('ConflictError');
      expect(refused.body.error.message).toMatch(/required-checks/);
      expect(gate(refused.body.error.gates, 'required-checks')).toMatchObject({
        passed: false,
        message: expect.stringContaining('unit-tests'),
      });
      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });

      const check = await request(server)
        .post(`${BASE}/v1/releases/${second.id}/checks`)
        .set('Authorization', CI)
        .send({ name: 'unit-tests', status: 'passed' });
      expect(check.status).toBe(201);

      const accepted = await invoke(
        server,
        'immutable-releases:request-promotion',
        { ...toStaging, reason: 'asked in chat' },
      );
      expect(accepted.status).toBe(200);
      expect(accepted.body.output.deployment).toMatchObject({
        kind: 'promotion',
        environment: 'staging',
        releaseId: second.id,
        reason: 'asked in chat',
        requestedBy: 'user:default/alice',
      });
      expect(
        accepted.body.output.gates.every((g: { passed: boolean }) => g.passed),
      ).toBe(true);
      const deployed = await waitForDeployment(
        server,
        accepted.body.output.deployment.id,
      );
      expect(deployed.status).toBe('succeeded');

      const byService = await invoke(
        server,
        'immutable-releases:request-promotion',
        {
          entityRef: ENTITY_REF,
          releaseId: second.id,
          version: '1.0.1',
          environment: 'production',
          dryRun: true,
        },
        CI,
      );
      expect(byService.status).toBe(200);
      expect(gate(byService.body.output.gates, 'upstream').passed).toBe(true);
    });

    it('rolls back with a required reason, as a service, and holds the environment', async () => {
      const { server } = await start({ policy });
      const { first } = await twoReleasesInDevelopment(server);
      const rollback = { entityRef: ENTITY_REF, environment: 'development' };

      const withoutReason = await invoke(
        server,
        'immutable-releases:request-rollback',
        rollback,
        CI,
      );
      expect(withoutReason.status).toBe(400);
      expect(withoutReason.body.error.name).toBe('InputError');
      expect(withoutReason.body.error.message).toMatch(/"reason"/);
      const blankReason = await invoke(
        server,
        'immutable-releases:request-rollback',
        { ...rollback, reason: '   ' },
        CI,
      );
      expect(blankReason.status).toBe(400);
      expect(blankReason.body.error.message).toMatch(/reason is required/);

      const rolledBack = await invoke(
        server,
        'immutable-releases:request-rollback',
        { ...rollback, reason: 'error rate doubled' },
        CI,
      );
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body.output).toMatchObject({
        kind: 'rollback',
        environment: 'development',
        releaseId: first.id,
        reason: 'error rate doubled',
        requestedBy: CI_SUBJECT,
      });
      await waitForCurrent(server, 'development', first.id);
      const environments = await invoke(
        server,
        'immutable-releases:get-environments',
        { entityRef: ENTITY_REF },
      );
      expect(environments.body.output.environments[0].hold).toMatchObject({
        reason: expect.stringContaining('error rate doubled'),
        setBy: CI_SUBJECT,
      });
    });

    it('refuses what the permission policy refuses, with the REST routes’ 403', async () => {
      const { server } = await start({ policy });
      const { second } = await twoReleasesInDevelopment(server);
      const deploymentId = (await listDeployments(server)).items[0].id;

      const promotionByRoute = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', MALLORY)
        .send({
          entityRef: ENTITY_REF,
          releaseId: second.id,
          environment: 'staging',
          dryRun: true,
        });
      const promotionByAction = await invoke(
        server,
        'immutable-releases:request-promotion',
        {
          entityRef: ENTITY_REF,
          version: '1.0.1',
          environment: 'staging',
          dryRun: true,
        },
        MALLORY,
      );
      expect(promotionByRoute.status).toBe(403);
      expect(promotionByAction.status).toBe(403);
      expect(promotionByAction.body.error).toEqual(promotionByRoute.body.error);
      expect(promotionByAction.body.error).toMatchObject({
        name: 'NotAllowedError',
        message: `immutable-releases.promotion.create is not allowed on ${ENTITY_REF}`,
      });

      const rollbackByRoute = await request(server)
        .post(`${BASE}/v1/rollbacks`)
        .set('Authorization', MALLORY)
        .send({
          entityRef: ENTITY_REF,
          environment: 'development',
          reason: 'x',
        });
      const rollbackByAction = await invoke(
        server,
        'immutable-releases:request-rollback',
        { entityRef: ENTITY_REF, environment: 'development', reason: 'x' },
        MALLORY,
      );
      expect(rollbackByRoute.status).toBe(403);
      expect(rollbackByAction.status).toBe(403);
      expect(rollbackByAction.body.error).toEqual(rollbackByRoute.body.error);

      // She may read.
      const readByMallory = await invoke(
        server,
        'immutable-releases:get-environments',
        { entityRef: ENTITY_REF },
        MALLORY,
      );
      expect(readByMallory.status).toBe(200);

      for (const [actionId, input, route] of [
        [
          'immutable-releases:get-environments',
          { entityRef: ENTITY_REF },
          `${ENTITY_PATH}/environments`,
        ],
        [
          'immutable-releases:list-releases',
          { entityRef: ENTITY_REF },
          `${ENTITY_PATH}/releases`,
        ],
        [
          'immutable-releases:get-deployment',
          { deploymentId },
          `${BASE}/v1/deployments/${deploymentId}`,
        ],
      ] as const) {
        const byRoute = await request(server)
          .get(route)
          .set('Authorization', EVE);
        const byAction = await invoke(server, actionId, input, EVE);
        expect({ actionId, status: byAction.status }).toEqual({
          actionId,
          status: 403,
        });
        expect(byRoute.status).toBe(403);
        expect(byAction.body.error).toEqual(byRoute.body.error);
      }

      expect(
        (await listDeployments(server)).items.map(d => d.environment),
      ).toEqual(['development', 'development']);
    });

    it('answers bad input with a 4xx naming the field, and stores nothing', async () => {
      const { server } = await start({ policy });
      await twoReleasesInDevelopment(server);
      const promotion = {
        entityRef: ENTITY_REF,
        version: '1.0.1',
        environment: 'staging',
        dryRun: true,
      };

      for (const [actionId, input, status, field] of [
        ['immutable-releases:get-environments', {}, 400, /"entityRef"/],
        [
          'immutable-releases:list-releases',
          { entityRef: ENTITY_REF, limit: 0 },
          400,
          /"limit"/,
        ],
        [
          'immutable-releases:list-releases',
          { entityRef: ENTITY_REF, limit: 'ten' },
          400,
          /"limit"/,
        ],
        [
          'immutable-releases:request-promotion',
          { ...promotion, override: { reason: 'now' } },
          400,
          /override/,
        ],
        [
          'immutable-releases:request-promotion',
          { ...promotion, environment: 'x'.repeat(201) },
          400,
          /"environment"/,
        ],
      ] as const) {
        const response = await invoke(server, actionId, input);
        expect({ actionId, input, status: response.status }).toEqual({
          actionId,
          input,
          status,
        });
        expect(response.body.error.name).toBe('InputError');
        // The registry's message quotes the validation issues, each with its field's path.
        expect(response.body.error.message).toMatch(
          new RegExp(`^Invalid input to action "${actionId}"; caused by`),
        );
        expect(response.body.error.message).toMatch(field);
      }

      for (const [actionId, input, status, message] of [
        [
          'immutable-releases:get-environments',
          { entityRef: 'checkout' },
          400,
          /entityRef must be an entity ref/,
        ],
        [
          'immutable-releases:list-releases',
          { entityRef: ENTITY_REF, cursor: 'garbage!' },
          400,
          /cursor/,
        ],
        [
          'immutable-releases:request-promotion',
          { ...promotion, version: undefined },
          400,
          /releaseId or version is required/,
        ],
        [
          'immutable-releases:request-promotion',
          { ...promotion, environment: 'qa' },
          400,
          /environment 'qa'/,
        ],
        [
          'immutable-releases:request-promotion',
          { ...promotion, version: '9.9.9' },
          404,
          /has no release 9\.9\.9/,
        ],
        [
          'immutable-releases:request-promotion',
          { ...promotion, releaseId: 'another-release' },
          400,
          /releaseId another-release and version 1\.0\.1/,
        ],
        [
          'immutable-releases:request-rollback',
          { entityRef: ENTITY_REF, environment: 'qa', reason: 'broken' },
          400,
          /environment 'qa'/,
        ],
      ] as const) {
        const response = await invoke(server, actionId, input);
        expect({ actionId, input, status: response.status }).toEqual({
          actionId,
          input,
          status,
        });
        expect(response.body.error.message).toMatch(message);
      }

      const anonymous = await request(server)
        .post(`${ACTIONS}/immutable-releases:get-environments/invoke`)
        .send({ entityRef: ENTITY_REF });
      expect(anonymous.status).toBe(401);

      expect(
        (await listDeployments(server)).items.map(d => d.environment),
      ).toEqual(['development', 'development']);
    });

    it('answers a database failure with a log id, never with the SQL', async () => {
      const { server, knex } = await start({ policy });
      await register(server, '1.0.0');
      await knex.schema.renameTable('releases', 'releases_elsewhere');

      const response = await invoke(
        server,
        'immutable-releases:list-releases',
        {
          entityRef: ENTITY_REF,
        },
      );

      expect(response.status).toBe(500);
      expect(response.body.error.message).toMatch(
        /^An internal error occurred logId=[0-9a-f]+$/,
      );
      expect(JSON.stringify(response.body.error)).not.toMatch(
        /select|releases/i,
      );
    });
  },
);
