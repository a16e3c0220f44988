import { Box, Chip, Grid, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { useParams } from 'react-router-dom';
import {
  EnvironmentStatus,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useReleaseSignalRefreshKey } from '../../hooks/useReleaseSignal';
import { actorName } from '../shared/actorName';
import { PageHeading } from '../shared/PageHeading';
import { PageOfEntity } from '../shared/PageOfEntity';
import { useEntityRef } from '../shared/useEntityRef';
import { TimelineEvents } from '../ReleaseTimeline/ReleaseTimeline';
import { CompareWithEnvironment } from './CompareWithEnvironment';
import { ReleaseAttestations, ReleaseChecks } from './ReleaseChecks';
import { ReleaseIdentity } from './ReleaseIdentity';
import { ReleaseDeployments, WhereItRuns } from './WhereItRuns';

const useStyles = makeStyles(theme => ({
  revoked: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/** The page of one release of the entity, `…/releases/:releaseId`. */
export function ReleaseDetailPage() {
  const entityRef = useEntityRef();
  const { releaseId = '' } = useParams();
  const api = useApi(immutableReleasesApiRef);
  const refreshKey = useReleaseSignalRefreshKey(entityRef);
  const state = useAsync(async () => {
    const [release, environments] = await Promise.all([
      api.getRelease(releaseId),
      api.getEnvironments(entityRef),
    ]);
    return { release, environments: environments.environments };
  }, [api, entityRef, releaseId, refreshKey]);

  return (
    <PageOfEntity
      entityRef={entityRef}
      what="Release"
      id={releaseId}
      state={state}
      entityRefOf={value => value.release.entityRef}
    >
      {value => (
        <ReleaseDetail
          release={value.release}
          environments={value.environments}
          refreshKey={refreshKey}
        />
      )}
    </PageOfEntity>
  );
}

/** Everything about one release: identity, checks, attestations, where it runs, compare. */
export function ReleaseDetail(props: {
  release: Release;
  environments: EnvironmentStatus[];
  refreshKey: number;
}) {
  const { release, environments, refreshKey } = props;
  const classes = useStyles();
  return (
    <section aria-label="release detail">
      <PageHeading title={`Release ${release.version}`}>
        {release.revocation && (
          <Chip size="small" className={classes.revoked} label="revoked" />
        )}
      </PageHeading>
      {release.revocation && (
        <Box mb={2}>
          <Alert severity="error">
            Revoked by {actorName(release.revocation.revokedBy)}:{' '}
            {release.revocation.reason}. It can no longer be promoted.
          </Alert>
        </Box>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12} lg={6}>
          <Box display="flex" flexDirection="column" gridGap={24}>
            <InfoCard title="Identity">
              <ReleaseIdentity release={release} />
            </InfoCard>
            <InfoCard title="Checks">
              <ReleaseChecks checks={release.checks ?? []} />
            </InfoCard>
            <InfoCard title="Attestations">
              <ReleaseAttestations attestations={release.attestations ?? []} />
            </InfoCard>
          </Box>
        </Grid>
        <Grid item xs={12} lg={6}>
          <Box display="flex" flexDirection="column" gridGap={24}>
            <InfoCard title="Compare">
              <CompareWithEnvironment
                release={release}
                environments={environments}
              />
            </InfoCard>
            <InfoCard title="Where it runs">
              <WhereItRuns release={release} environments={environments} />
            </InfoCard>
            <InfoCard title={`Deployments of ${release.version}`}>
              <ReleaseDeployments release={release} refreshKey={refreshKey} />
            </InfoCard>
            <InfoCard title="Activity">
              <TimelineEvents
                entityRef={release.entityRef}
                filter={{ releaseId: release.id }}
                refreshKey={refreshKey}
              />
            </InfoCard>
          </Box>
        </Grid>
      </Grid>
    </section>
  );
}
