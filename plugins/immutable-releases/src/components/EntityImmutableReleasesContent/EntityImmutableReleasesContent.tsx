import { useState } from 'react';
import { Route, Routes } from 'react-router-dom';
import { Box, Grid, Typography } from '@material-ui/core';
import { Skeleton } from '@material-ui/lab';
import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  PIPELINE_ANNOTATION,
  promotionCreatePermission,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useReleaseSignalRefreshKey } from '../../hooks/useReleaseSignal';
import { isImmutableReleasesAvailable } from '../../isImmutableReleasesAvailable';
import { DeploymentDetailPage } from '../DeploymentDetail';
import { PipelineStrip } from '../PipelineStrip';
import { PromoteDialog } from '../PromoteDialog';
import { ReleaseDetailPage } from '../ReleaseDetail';
import {
  ReleaseHistoryTable,
  RELEASES_PAGE_SIZE,
} from '../ReleaseHistoryTable';
import { ReleaseTimeline } from '../ReleaseTimeline';
import { PermittedButton } from '../shared/PermittedButton';
import { ReleasesTabPathProvider } from '../shared/releaseLinks';
import { TableSkeleton } from '../shared/TableSkeleton';
import { useEntityRef } from '../shared/useEntityRef';

/** The curl that registers a release, shown while an entity has none. */
export function registerReleaseCurl(entityRef: string): string {
  return [
    `curl -X POST "$BACKSTAGE_URL/api/immutable-releases/v1/releases" \\`,
    `  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `  -d '${JSON.stringify({
      entityRef,
      version: '1.0.0',
      artifact: {
        type: 'oci-image',
        uri: 'ghcr.io/acme/my-service',
        digest: 'sha256:<64 hex characters>',
      },
      source: {
        repository: 'https://github.com/acme/my-service',
        commit: '<sha>',
      },
    })}'`,
  ].join('\n');
}

/**
 * The Releases tab of an entity page: the pipeline strip, the release history and the
 * deployment and audit timeline, and below it the pages of one deployment and one release.
 *
 * @public
 */
export function EntityImmutableReleasesContent() {
  return (
    <ReleasesTabPathProvider>
      <Routes>
        <Route path="/" element={<ReleasesOverview />} />
        <Route
          path="deployments/:deploymentId"
          element={<DeploymentDetailPage />}
        />
        <Route path=":releaseId" element={<ReleaseDetailPage />} />
      </Routes>
    </ReleasesTabPathProvider>
  );
}

/** What the entity needs before it has a pipeline: the annotation that names one. */
function NotSetUp(props: { entityRef: string }) {
  return (
    <EmptyState
      missing="field"
      title="Not set up for releases"
      description={
        <>
          <Typography paragraph>
            {props.entityRef} names no pipeline. Annotate it with the pipeline
            its releases go through (one configured under
            immutableReleases.pipelines), for example:
          </Typography>
          <CodeSnippet
            language="yaml"
            text={`metadata:\n  annotations:\n    ${PIPELINE_ANNOTATION}: default`}
          />
        </>
      }
    />
  );
}

/** Grey shapes where the pipeline and the history will be, while the tab loads. */
function OverviewSkeleton() {
  return (
    <Grid container spacing={3} aria-label="loading releases">
      <Grid item xs={12}>
        <InfoCard title="Pipeline">
          <Box display="flex" gridGap={16}>
            {[0, 1, 2].map(column => (
              <Box key={column} flex={1}>
                <Skeleton variant="rect" height={160} />
              </Box>
            ))}
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Release history">
          <TableSkeleton label="loading release history" columns={8} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/** The tab's first page: pipeline, history and timeline. */
function ReleasesOverview() {
  const entityRef = useEntityRef();
  const { entity } = useEntity();
  const annotated = isImmutableReleasesAvailable(entity);
  const api = useApi(immutableReleasesApiRef);
  const [actionKey, setActionKey] = useState(0);
  const signalKey = useReleaseSignalRefreshKey(entityRef);
  const refreshKey = actionKey + signalKey;
  const [promoteOpen, setPromoteOpen] = useState(false);

  // The pipeline and the history's first page in one round trip: the tab shows both at once.
  const state = useAsyncRetry(async () => {
    const [environments, newestReleases] = await Promise.all([
      api.getEnvironments(entityRef),
      api.listReleases(entityRef, { limit: RELEASES_PAGE_SIZE }),
    ]);
    return { environments, newestReleases };
  }, [api, entityRef, refreshKey]);
  const hasReleases = (state.value?.newestReleases.items.length ?? 0) > 0;

  const refresh = () => setActionKey(key => key + 1);

  if (state.loading && !state.value) {
    return <OverviewSkeleton />;
  }
  if (!annotated && (state.error || !hasReleases)) {
    return <NotSetUp entityRef={entityRef} />;
  }
  if (state.error) {
    return <ResponseErrorPanel error={state.error} />;
  }
  if (!state.value) {
    return null;
  }
  const { environments } = state.value.environments;
  const environmentNames = environments.map(e => e.name);
  if (!hasReleases) {
    return (
      <EmptyState
        missing="data"
        title="No releases yet"
        description={
          <>
            <Typography paragraph>
              Releases of {entityRef} are registered by CI once an artifact is
              built and pinned by digest. For example:
            </Typography>
            <CodeSnippet
              language="bash"
              text={registerReleaseCurl(entityRef)}
            />
          </>
        }
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title={`Pipeline ${state.value.environments.pipeline}`}
          action={
            <Box mt={1} mr={1}>
              <PermittedButton
                variant="outlined"
                color="primary"
                permission={promotionCreatePermission}
                entityRef={entityRef}
                deniedAction="promote releases of this entity"
                onClick={() => setPromoteOpen(true)}
              >
                Promote…
              </PermittedButton>
            </Box>
          }
        >
          <PipelineStrip
            entityRef={entityRef}
            environments={environments}
            onChange={refresh}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Release history">
          <ReleaseHistoryTable
            entityRef={entityRef}
            environments={environments}
            refreshKey={refreshKey}
            firstPage={state.value.newestReleases}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Timeline">
          <ReleaseTimeline
            entityRef={entityRef}
            refreshKey={refreshKey}
            environments={environmentNames}
          />
        </InfoCard>
      </Grid>
      {promoteOpen && (
        <PromoteDialog
          open
          entityRef={entityRef}
          environments={environments}
          onClose={() => setPromoteOpen(false)}
          onPromoted={refresh}
        />
      )}
    </Grid>
  );
}
