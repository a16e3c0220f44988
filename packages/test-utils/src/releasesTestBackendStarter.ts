import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  ReleasesTestBackend,
  ReleasesTestBackendOptions,
  startReleasesTestBackend,
} from './releasesTestBackend';

/**
 * {@link startReleasesTestBackend} on one database, for the tests of the
 * `describe` block it is called in: the backends a test starts are stopped
 * after it.
 */
export function releasesTestBackendStarter(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const started: ReleasesTestBackend[] = [];
  afterEach(async () => {
    for (const backend of started.splice(0)) {
      await backend.stop();
    }
  });

  return async function start(
    options: Omit<ReleasesTestBackendOptions, 'databases' | 'databaseId'>,
  ): Promise<ReleasesTestBackend> {
    const backend = await startReleasesTestBackend({
      databases,
      databaseId,
      ...options,
    });
    started.push(backend);
    return backend;
  };
}
