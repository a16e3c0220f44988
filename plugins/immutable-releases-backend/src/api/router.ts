import { LoggerService } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  observationCreatePermission,
  promotionApprovePermission,
  promotionCreatePermission,
  releaseCreatePermission,
  releaseReadPermission,
  Page,
  releaseRevokePermission,
} from 'backstage-plugin-immutable-releases-common';
import { CALLBACK_TOKEN_HEADER } from 'backstage-plugin-immutable-releases-node';
import express, { Request, RequestHandler, Response } from 'express';
import Router from 'express-promise-router';
import { spec } from '../schema/openapi.generated';
import { JsonText } from '../database/jsonColumns';
import { DeliveryMetricsService } from '../metrics/DeliveryMetricsService';
import { ExecutorCallbacks } from '../deployments/ExecutorCallbacks';
import { normalizeEntityRef } from '../pipelines/EntityPipelines';
import { AuthorizedOperations } from './AuthorizedOperations';
import { RequestAccess } from './RequestAccess';
import { findUnacceptableText } from './unacceptableText';
import { withNamedUnknownProperties } from './unknownProperties';
import {
  gatesFailedHandler,
  hideInternalErrors,
  unknownPropertyHandler,
  unparsableBodyHandler,
} from './errorHandlers';
import { EntityHistory } from '../audit/EntityHistory';
import { Approvals } from '../promotions/Approvals';
import { DeploymentQueue } from '../promotions/DeploymentQueue';
import { FleetView } from '../fleet/FleetView';
import { ApprovalsInbox } from '../promotions/ApprovalsInbox';
import { ObservationService } from '../drift/ObservationService';
import { ReleaseRegistry } from '../releases/ReleaseRegistry';

export interface RouterOptions {
  logger: LoggerService;
  access: RequestAccess;
  /** The operations the actions offer too. */
  operations: AuthorizedOperations;
  registry: ReleaseRegistry;
  approvals: Approvals;
  approvalsInbox: ApprovalsInbox;
  fleet: FleetView;
  queue: DeploymentQueue;
  history: EntityHistory;
  callbacks: ExecutorCallbacks;
  observations: ObservationService;
  metrics: DeliveryMetricsService;
}

/** Request bodies may be up to 1 MB (a full batch of observations fits). */
const BODY_LIMIT = '1mb';

/** Every path parameter of the contract: `kind`, `releaseId`, … */
const PATH_PARAMETERS = new Set(
  Object.keys(spec.paths).flatMap(path =>
    [...path.matchAll(/\{(\w+)\}/g)].map(match => match[1]),
  ),
);

/**
 * Answers a page whose items are JSON text already: what `res.json` would
 * send for the parsed items, without parsing and serialising them again.
 */
function sendJsonPage(res: Response, page: Page<JsonText<unknown>>) {
  res
    .type('json')
    .send(
      `{"items":[${page.items.join(',')}],"nextCursor":${JSON.stringify(
        page.nextCursor,
      )}}`,
    );
}

/** A NUL character or invalid Unicode is refused up front, naming the field. */
const rejectUnacceptableText: RequestHandler = (req, _res, next) => {
  const found =
    findUnacceptableText(req.body) ?? findUnacceptableText(req.query, 'query');
  next(found ? new InputError(found.message) : undefined);
};

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    access,
    operations,
    registry,
    approvals,
    approvalsInbox,
    fleet,
    queue,
    history,
    callbacks,
    observations,
    metrics,
  } = options;

  /** The caller and the request's deployment, once the permission on its entity is granted. */
  async function authorizeOnDeployment(
    req: Request<any, any, any, any>,
    permission: ResourcePermission<'catalog-entity'>,
  ) {
    const { credentials, requester } = await access.caller(req);
    const deployment = await history.getDeployment(req.params.deploymentId);
    await access.authorize(credentials, permission, deployment.entityRef);
    return { deployment, requester };
  }

  /** The caller and the request's release, once the permission on its entity is granted. */
  async function authorizeOnRelease(
    req: Request<any, any, any, any>,
    permission: ResourcePermission<'catalog-entity'>,
  ) {
    const { credentials, requester } = await access.caller(req);
    const release = await registry.requireRelease(req.params.releaseId);
    await access.authorize(credentials, permission, release.entityRef);
    return { release, requester };
  }

  const api = createValidatedOpenApiRouter<typeof spec>(
    withNamedUnknownProperties(spec),
    {
      // The body is parsed before this router, whose validator would turn the
      // parser's 413 into a 400.
      middleware: [rejectUnacceptableText],
      // Backstage's own auth middleware answers missing or bad credentials with 401.
      validatorOptions: { validateSecurity: false },
    },
  );
  for (const param of PATH_PARAMETERS) {
    api.param(param, (_req, _res, next, value) => {
      const found = findUnacceptableText(value, param);
      next(found ? new InputError(found.message) : undefined);
    });
  }

  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  api.post('/v1/releases', async (req, res) => {
    const { credentials, requester } = await access.caller(req);
    const entityRef = normalizeEntityRef(req.body.entityRef);
    await access.authorize(credentials, releaseCreatePermission, entityRef);
    const { release, created } = await registry.register(
      req.body,
      requester.actor,
    );
    res.status(created ? 201 : 200).json(release);
  });

  api.get('/v1/releases/:releaseId', async (req, res) => {
    const { credentials } = await access.caller(req);
    await access.authorize(credentials, releaseReadPermission);
    res.json(await registry.requireRelease(req.params.releaseId));
  });

  api.get('/v1/entities/:kind/:namespace/:name/releases', async (req, res) => {
    const { credentials } = await access.caller(req);
    sendJsonPage(
      res,
      await operations.listReleases(
        credentials,
        entityRefOf(req.params),
        req.query,
      ),
    );
  });

  api.post('/v1/releases/:releaseId/checks', async (req, res) => {
    const { release, requester } = await authorizeOnRelease(
      req,
      releaseCreatePermission,
    );
    const check = await registry.addCheck(
      release.id,
      req.body,
      requester.actor,
    );
    res.status(201).json(check);
  });

  api.post('/v1/releases/:releaseId/attestations', async (req, res) => {
    const { release, requester } = await authorizeOnRelease(
      req,
      releaseCreatePermission,
    );
    const { attestation, created } = await registry.addAttestation(
      release.id,
      req.body.bundle,
      requester.actor,
    );
    res.status(created ? 201 : 200).json(attestation);
  });

  api.get('/v1/releases/:releaseId/attestations', async (req, res) => {
    const { credentials } = await access.caller(req);
    await access.authorize(credentials, releaseReadPermission);
    res.json({
      items: await registry.listAttestations(req.params.releaseId),
    });
  });

  api.post('/v1/releases/:releaseId/revoke', async (req, res) => {
    const { release, requester } = await authorizeOnRelease(
      req,
      releaseRevokePermission,
    );
    res.json(
      await registry.revoke(release.id, req.body.reason, requester.actor),
    );
  });

  api.get(
    '/v1/entities/:kind/:namespace/:name/environments',
    async (req, res) => {
      const { credentials } = await access.caller(req);
      res.json(
        await operations.describeEnvironments(
          credentials,
          entityRefOf(req.params),
        ),
      );
    },
  );

  api.delete(
    '/v1/entities/:kind/:namespace/:name/environments/:environment/hold',
    async (req, res) => {
      const { credentials, requester } = await access.caller(req);
      const entityRef = entityRefOf(req.params);
      await access.authorize(credentials, promotionCreatePermission, entityRef);
      await queue.releaseHold(
        entityRef,
        req.params.environment,
        requester.actor,
      );
      res.status(204).end();
    },
  );

  api.post('/v1/promotions', async (req, res) => {
    const { credentials } = await access.caller(req);
    const { deployment, gates } = await operations.requestPromotion(
      credentials,
      req.body,
    );
    if (deployment) {
      res.status(202).json(deployment);
    } else {
      res.status(200).json({ gates });
    }
  });

  api.post('/v1/rollbacks', async (req, res) => {
    const { credentials } = await access.caller(req);
    res
      .status(202)
      .json(await operations.requestRollback(credentials, req.body));
  });

  api.get('/v1/deployments/:deploymentId', async (req, res) => {
    const { credentials } = await access.caller(req);
    res.json(
      await operations.getDeployment(credentials, req.params.deploymentId),
    );
  });

  api.get(
    '/v1/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const { credentials } = await access.caller(req);
      await access.authorize(credentials, releaseReadPermission);
      res.json(
        await history.listDeployments(entityRefOf(req.params), req.query),
      );
    },
  );

  api.get('/v1/environments', async (req, res) => {
    const { credentials } = await access.caller(req);
    await access.authorize(credentials, releaseReadPermission);
    const { drift, owner, pipeline, limit, cursor } = req.query;
    res.json(await fleet.list({ drift, owner, pipeline }, { limit, cursor }));
  });

  api.get('/v1/approvals', async (req, res) => {
    const { credentials, requester } = await access.caller(req);
    res.json(
      await approvalsInbox.list(
        requester,
        req.query,
        access.entitiesAllowedBy(credentials, promotionApprovePermission),
      ),
    );
  });

  api.post('/v1/deployments/:deploymentId/approvals', async (req, res) => {
    const { deployment, requester } = await authorizeOnDeployment(
      req,
      promotionApprovePermission,
    );
    const updated = await approvals.decide(
      deployment.id,
      req.body.decision,
      req.body.comment,
      requester,
    );
    res.status(201).json(updated);
  });

  api.post('/v1/deployments/:deploymentId/cancel', async (req, res) => {
    const { deployment, requester } = await authorizeOnDeployment(
      req,
      promotionCreatePermission,
    );
    res.json(
      await queue.cancel(deployment.id, req.body?.reason, requester.actor),
    );
  });

  api.post('/v1/deployments/:deploymentId/status', async (req, res) => {
    const { deployment, requester } = await authorizeOnDeployment(
      req,
      promotionCreatePermission,
    );
    res.json(
      await callbacks.complete(deployment.id, req.body, {
        actor: requester.actor,
        callbackToken: req.get(CALLBACK_TOKEN_HEADER),
      }),
    );
  });

  api.post('/v1/observations', async (req, res) => {
    const { credentials, requester } = await access.caller(req);
    const batch = observations.parse(req.body.observations);
    await access.authorizeEach(
      credentials,
      observationCreatePermission,
      batch.entityRefs,
    );
    const accepted = await observations.ingest(batch, requester.actor);
    res.status(202).json({ accepted });
  });

  api.get('/v1/entities/:kind/:namespace/:name/metrics', async (req, res) => {
    const { credentials } = await access.caller(req);
    await access.authorize(credentials, releaseReadPermission);
    res.json(await metrics.compute(entityRefOf(req.params), req.query));
  });

  api.get('/v1/entities/:kind/:namespace/:name/events', async (req, res) => {
    const { credentials } = await access.caller(req);
    await access.authorize(credentials, releaseReadPermission);
    res.json(await history.listEvents(entityRefOf(req.params), req.query));
  });

  api.get(
    '/v1/entities/:kind/:namespace/:name/events/verify',
    async (req, res) => {
      const { credentials } = await access.caller(req);
      await access.authorize(credentials, releaseReadPermission);
      res.json(await history.verifyEvents(entityRefOf(req.params)));
    },
  );

  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }), unparsableBodyHandler);
  router.use(api);
  router.use(unknownPropertyHandler);
  router.use(gatesFailedHandler);
  router.use(hideInternalErrors(options.logger));
  return router;
}

function entityRefOf(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return normalizeEntityRef(
    `${params.kind}:${params.namespace}/${params.name}`,
  );
}
