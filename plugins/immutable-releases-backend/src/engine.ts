import {
  AuditorService,
  AuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  DeploymentExecutorFactory,
  readPositiveDurationMs,
} from 'backstage-plugin-immutable-releases-node';
import { ReleasesDatabase } from './database/ReleasesDatabase';
import { AuditTrail, ENGINE_ACTOR } from './audit/AuditTrail';
import { DeliveryMetricsService } from './metrics/DeliveryMetricsService';
import { DriftConfig, readDriftConfig } from './drift/driftConfig';
import { DriftEvaluator } from './drift/DriftEvaluator';
import { ObservationService } from './drift/ObservationService';
import { ObservationTargets } from './drift/ObservationTargets';
import {
  ConfiguredExecutor,
  DeploymentRunner,
} from './deployments/DeploymentRunner';
import { DeploymentRecovery } from './deployments/DeploymentRecovery';
import { ExecutorCallbacks } from './deployments/ExecutorCallbacks';
import { EntityPipelines } from './pipelines/EntityPipelines';
import { readPipelines } from './pipelines/pipelineConfig';
import { EntityHistory } from './audit/EntityHistory';
import { FleetView } from './fleet/FleetView';
import { ApprovalsInbox } from './promotions/ApprovalsInbox';
import { Approvals } from './promotions/Approvals';
import { AutomaticPromotions } from './promotions/AutomaticPromotions';
import { DeploymentQueue } from './promotions/DeploymentQueue';
import { EnvironmentsView } from './promotions/EnvironmentsView';
import { GateEvaluator } from './promotions/GateEvaluator';
import { PromotionRequests } from './promotions/PromotionRequests';
import { ReleaseRegistry } from './releases/ReleaseRegistry';
import { ReleaseNotifications } from './notifications/ReleaseNotifications';
import { ReleaseSignals } from './signals/ReleaseSignals';

const INSTALL_GUIDE_URL =
  'https://github.com/immutable-releases/backstage-plugins/blob/main/docs/install.md';

export interface EngineOptions {
  config: RootConfigService;
  logger: LoggerService;
  db: ReleasesDatabase;
  catalog: CatalogService;
  auth: AuthService;
  auditor: AuditorService;
  executorFactories: ReadonlyMap<string, DeploymentExecutorFactory>;
  /** Announces changes to open pages; without it, nothing is announced. */
  signals?: SignalsService;
  /** Tells people what needs them or went wrong; without it, nobody is told. */
  notifications?: {
    service: NotificationService;
    /** Whether the notifications backend runs in this backend (a failure to send is then a warning). */
    backendInstalledHere: boolean;
  };
  clock?: () => Date;
  leaseMs?: number;
}

export interface ImmutableReleasesEngine {
  registry: ReleaseRegistry;
  promotions: PromotionRequests;
  approvals: Approvals;
  /** What waits for a person's approval. */
  approvalsInbox: ApprovalsInbox;
  /** Every entity's environments at a glance. */
  fleet: FleetView;
  queue: DeploymentQueue;
  automaticPromotions: AutomaticPromotions;
  environments: EnvironmentsView;
  history: EntityHistory;
  runner: DeploymentRunner;
  recovery: DeploymentRecovery;
  callbacks: ExecutorCallbacks;
  observations: ObservationService;
  observationTargets: ObservationTargets;
  metrics: DeliveryMetricsService;
  /** `immutableReleases.drift`, checked. */
  drift: DriftConfig;
  /** The audit trail, whose listeners send signals and notifications after each change. */
  audit: AuditTrail;
}

/**
 * Reads the configuration and wires the engine. Configuration mistakes throw
 * here, naming the key, so the backend does not start half-configured.
 */
export function createImmutableReleasesEngine(
  options: EngineOptions,
): ImmutableReleasesEngine {
  const { config, logger, db } = options;
  const clock = options.clock ?? (() => new Date());
  const executors = readExecutors(config, options.executorFactories);
  const pipelines = readPipelines(config, new Set(executors.keys()));
  if (pipelines.size === 0) {
    logger.warn(
      `No pipeline is configured under immutableReleases.pipelines, so every registration and promotion answers 409 until one is; see ${INSTALL_GUIDE_URL}`,
    );
  }
  const drift = readDriftConfig(config, pipelines);
  const audit = new AuditTrail(options.auditor, logger, clock);
  const requireCatalogEntity =
    config.getOptionalBoolean('immutableReleases.requireCatalogEntity') ?? true;
  const entities = new EntityPipelines(
    options.catalog,
    options.auth,
    pipelines,
    requireCatalogEntity,
  );
  const observationTargets = ObservationTargets.create({
    catalog: options.catalog,
    auth: options.auth,
    db,
    pipelines,
  });
  const observations = ObservationService.create({
    db,
    entities,
    targets: observationTargets,
    evaluator: DriftEvaluator.create({
      staleAfterMs: drift.staleAfterMs,
      clock,
    }),
    audit,
    clock,
    requireCatalogEntity,
  });
  const runner = new DeploymentRunner({
    db,
    executors,
    pipelines,
    audit,
    logger,
    clock,
    leaseMs: options.leaseMs,
    entityOf: entityRef => entities.getEntity(entityRef),
  });
  const registry = new ReleaseRegistry(db, entities, audit, clock, logger);
  const history = new EntityHistory({ db, entities });
  const gates = new GateEvaluator(db, clock);
  const queue = new DeploymentQueue({
    db,
    entities,
    runner,
    audit,
    history,
    clock,
  });
  const promotions = new PromotionRequests({
    db,
    entities,
    registry,
    gates,
    queue,
  });
  const automaticPromotions = new AutomaticPromotions({
    db,
    entities,
    registry,
    requests: promotions,
    queue,
    gates,
    audit,
    clock,
  });

  // What happens by itself: a new release or a finished deployment can start
  // automatic promotions or rollbacks, and change drift at once (in-sync →
  // drifted until the next observation sees the new digest).
  registry.onRegistered(release =>
    automaticPromotions.onReleaseRegistered(release),
  );
  runner.onFinished(deployment =>
    automaticPromotions.onDeploymentFinished(deployment),
  );
  runner.onFinished(deployment =>
    observations.refresh(
      [
        {
          entityRef: deployment.entityRef,
          environment: deployment.environment,
        },
      ],
      ENGINE_ACTOR,
    ),
  );

  // Who hears of a change once it committed: open pages, and people.
  const { signals, notifications } = options;
  if (signals) {
    const releaseSignals = ReleaseSignals.create({ signals, logger });
    audit.onPublished(events => releaseSignals.publish(events));
  }
  if (notifications) {
    const releaseNotifications = ReleaseNotifications.create({
      notifications: notifications.service,
      backendInstalledHere: notifications.backendInstalledHere,
      db,
      entities,
      environmentOf: deployment => runner.environmentOf(deployment),
      logger,
    });
    audit.onPublished(events => releaseNotifications.notify(events));
  }

  const metrics = DeliveryMetricsService.create({ db, entities, clock });
  return {
    registry,
    promotions,
    approvals: new Approvals({
      db,
      entities,
      registry,
      runner,
      audit,
      history,
      clock,
    }),
    approvalsInbox: new ApprovalsInbox({ db, pipelines }),
    fleet: new FleetView({ db, entities, observations }),
    queue,
    automaticPromotions,
    environments: new EnvironmentsView({ db, entities, observations }),
    history,
    runner,
    recovery: new DeploymentRecovery({ db, runner, audit, clock }),
    callbacks: new ExecutorCallbacks({ db, runner }),
    observations,
    observationTargets,
    metrics,
    drift,
    audit,
  };
}

function readExecutors(
  config: RootConfigService,
  factories: ReadonlyMap<string, DeploymentExecutorFactory>,
) {
  const executors = new Map<string, ConfiguredExecutor>();
  const executorsConfig = config.getOptionalConfig(
    'immutableReleases.executors',
  );
  for (const name of executorsConfig?.keys() ?? []) {
    const executorConfig = executorsConfig!.getConfig(name);
    const type = executorConfig.getString('type');
    const factory = factories.get(type);
    if (!factory) {
      throw new Error(
        `immutableReleases.executors.${name}.type '${type}' is not an executor type (known: ${[
          ...factories.keys(),
        ].join(', ')})`,
      );
    }
    executors.set(name, {
      name,
      type,
      executor: factory.create({ name, config: executorConfig }),
      callbackTimeoutMs: readPositiveDurationMs(executorConfig, {
        key: 'callbackTimeout',
        configKey: `immutableReleases.executors.${name}`,
        defaultValue: { hours: 1 },
      }),
    });
  }
  return executors;
}
