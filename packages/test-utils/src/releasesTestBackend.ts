import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestBackendOptions,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import type { JsonObject } from '@backstage/types';
// A test-only package: it starts the real backend plugin, as a backend does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import immutableReleasesPlugin from 'backstage-plugin-immutable-releases-backend';
import { CapturedScheduledTasks } from './CapturedScheduledTasks';
import { eventually } from './eventually';

/** What {@link startReleasesTestBackend} starts besides the Immutable Releases backend. */
export interface ReleasesTestBackendOptions {
  databases: TestDatabases;
  /** The database Immutable Releases runs on. */
  databaseId: TestDatabaseId;
  /** The entities of the catalog. */
  entities: Entity[];
  /**
   * Serves the entities from the real catalog backend, read from a file
   * location, instead of from a catalog service mock. Slower: start-up waits
   * until the catalog has ingested every entity.
   */
  realCatalog?: boolean;
  /**
   * Decides permissions with this policy in the real permission backend.
   * Without it, every permission is allowed unless `features` brings a
   * permissions service of its own.
   */
  policy?: PermissionPolicy;
  /**
   * Treats a request without credentials as anonymous, as a production
   * backend does, instead of as the mock user.
   */
  anonymousWithoutCredentials?: boolean;
  /**
   * Keeps the tasks that plugins schedule in here instead of running them, so
   * that the test runs one (e.g. a drift observation) when it wants.
   */
  scheduledTasks?: CapturedScheduledTasks;
  /** Configuration, e.g. `immutableReleases`; its top-level keys win over the defaults. */
  config?: Record<string, unknown>;
  /** Further plugins, modules and service factories. */
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  /** Extension point implementations, e.g. to capture a module's registrations. */
  extensionPoints?: TestBackendOptions<any[]>['extensionPoints'];
}

export interface ReleasesTestBackend {
  backend: TestBackend;
  server: TestBackend['server'];
  /** `http://localhost:<port>` */
  baseUrl: string;
  /** The database Immutable Releases runs on. */
  knex: Knex;
  /** Stops the backend and removes the files it was started with. */
  stop(): Promise<void>;
}

/**
 * Immutable Releases on the given knex; every other plugin on an in-memory
 * SQLite of its own.
 *
 * Not from `TestDatabases` for the others: the scaffolder keeps polling its
 * database after the backend stopped, and a knex destroyed under it crashes
 * the Jest worker. In memory, the database is dropped with the backend.
 */
export function releasesDatabaseServiceFactory(releasesKnex: Knex) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    async factory({ pluginMetadata }) {
      return mockServices.database({
        knex:
          pluginMetadata.getId() === 'immutable-releases'
            ? releasesKnex
            : knexFactory({
                client: 'better-sqlite3',
                connection: ':memory:',
                useNullAsDefault: true,
              }),
      });
    },
  });
}

/** Installs `policy` in the permission backend. */
function permissionPolicyModule(policy: PermissionPolicy) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policies: policyExtensionPoint },
        async init({ policies }) {
          policies.setPolicy(policy);
        },
      });
    },
  });
}

/**
 * Starts the Immutable Releases backend plugin on the given database with a
 * catalog of the given entities and, with `policy`, the real permission
 * backend deciding with that policy; plus any further features.
 */
export async function startReleasesTestBackend(
  options: ReleasesTestBackendOptions,
): Promise<ReleasesTestBackend> {
  const { databases, databaseId, entities, policy } = options;
  const knex = await databases.init(databaseId);

  const catalogFeatures: BackendFeature[] = [];
  const defaultConfig: JsonObject = {};
  let dir: string | undefined;
  if (options.realCatalog) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir-test-catalog-'));
    const catalogFile = path.join(dir, 'catalog.yaml');
    // JSON is YAML: one document per entity.
    fs.writeFileSync(
      catalogFile,
      entities.map(entity => JSON.stringify(entity)).join('\n---\n'),
    );
    catalogFeatures.push(catalogPlugin);
    defaultConfig.catalog = {
      rules: [
        { allow: [...new Set(['Location', ...entities.map(e => e.kind)])] },
      ],
      locations: [{ type: 'file', target: catalogFile }],
    };
  } else {
    catalogFeatures.push(catalogServiceMock.factory({ entities }));
  }
  if (policy) {
    defaultConfig.permission = { enabled: true };
  }

  let backend: TestBackend;
  try {
    backend = await startTestBackend({
      extensionPoints: options.extensionPoints,
      features: [
        immutableReleasesPlugin,
        releasesDatabaseServiceFactory(knex),
        ...catalogFeatures,
        ...(policy
          ? [
              permissionPlugin,
              permissionPolicyModule(policy),
              permissionsServiceFactory,
            ]
          : []),
        mockServices.rootConfig.factory({
          data: { ...defaultConfig, ...options.config } as JsonObject,
        }),
        ...(options.anonymousWithoutCredentials
          ? [
              mockServices.httpAuth.factory({
                defaultCredentials: mockCredentials.none(),
              }),
            ]
          : []),
        ...(options.scheduledTasks ? [options.scheduledTasks.factory] : []),
        ...(options.features ?? []),
      ],
    });
  } catch (error) {
    removeDir(dir);
    throw error;
  }

  const baseUrl = `http://localhost:${backend.server.port()}`;
  const started: ReleasesTestBackend = {
    backend,
    server: backend.server,
    baseUrl,
    knex,
    async stop() {
      await backend.stop();
      removeDir(dir);
    },
  };

  if (options.realCatalog) {
    // The catalog ingests its locations in the background.
    await eventually(async () => {
      for (const entity of entities) {
        const { kind, namespace, name } = parseRef(entity);
        const response = await fetch(
          `${baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
          { headers: { Authorization: mockCredentials.service.header() } },
        );
        if (response.status !== 200) {
          throw new Error(
            `the catalog has no ${stringifyEntityRef(entity)} yet (${
              response.status
            })`,
          );
        }
      }
    }).catch(async error => {
      await started.stop();
      throw error;
    });
  }
  return started;
}

function removeDir(dir: string | undefined) {
  if (dir) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function parseRef(entity: Entity) {
  return {
    kind: encodeURIComponent(entity.kind.toLocaleLowerCase('en-US')),
    namespace: encodeURIComponent(entity.metadata.namespace ?? 'default'),
    name: encodeURIComponent(entity.metadata.name),
  };
}
