import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Link, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EnvironmentStatus,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { PageControls } from '../shared/PageControls';
import { useReleaseLinks } from '../shared/releaseLinks';
import { DeploymentStatusChip } from '../shared/StatusChips';
import { TableSkeleton } from '../shared/TableSkeleton';
import { Timestamp } from '../shared/Timestamp';
import { useCursorPagination } from '../shared/useCursorPagination';

/** Deployments of the release per page. */
export const RELEASE_DEPLOYMENTS_PAGE_SIZE = 10;

/** Per environment: what runs there now, and how the release's latest deployment there went. */
export function WhereItRuns(props: {
  release: Release;
  environments: EnvironmentStatus[];
}) {
  const { release, environments } = props;
  const links = useReleaseLinks(release.entityRef);
  const latest = new Map(
    (release.deployments ?? []).map(d => [d.environment, d]),
  );
  return (
    <Table size="small" aria-label="where it runs">
      <TableHead>
        <TableRow>
          <TableCell>Environment</TableCell>
          <TableCell>Runs now</TableCell>
          <TableCell>Its latest deployment there</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {environments.map(environment => {
          const current = environment.currentRelease;
          const deployment = latest.get(environment.name);
          return (
            <TableRow key={environment.name}>
              <TableCell>{environment.name}</TableCell>
              <TableCell>
                {!current && '—'}
                {current?.id === release.id && <strong>this release</strong>}
                {current && current.id !== release.id && (
                  <Link to={links.release(current.id)}>{current.version}</Link>
                )}
              </TableCell>
              <TableCell>
                {deployment ? (
                  <Link
                    to={links.deployment(deployment.deploymentId)}
                    aria-label={`${deployment.kind} to ${environment.name}`}
                  >
                    <DeploymentStatusChip status={deployment.status} />
                  </Link>
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    never deployed
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** Every deployment of the release, newest first, a page at a time. */
export function ReleaseDeployments(props: {
  release: Release;
  refreshKey: number;
}) {
  const { release, refreshKey } = props;
  const api = useApi(immutableReleasesApiRef);
  const links = useReleaseLinks(release.entityRef);
  const pages = useCursorPagination(
    cursor =>
      api.listDeployments(release.entityRef, {
        releaseId: release.id,
        limit: RELEASE_DEPLOYMENTS_PAGE_SIZE,
        cursor,
      }),
    [api, release.entityRef, release.id, refreshKey],
  );
  return (
    <>
      {pages.error && <ResponseErrorPanel error={pages.error} />}
      {pages.loading && !pages.items && (
        <TableSkeleton label="loading deployments" columns={4} rows={3} />
      )}
      {pages.items?.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          {release.version} has not been deployed yet.
        </Typography>
      )}
      {pages.items && pages.items.length > 0 && (
        <Table size="small" aria-label="deployments of the release">
          <TableBody>
            {pages.items.map(deployment => (
              <TableRow key={deployment.id}>
                <TableCell>
                  <Link to={links.deployment(deployment.id)}>
                    {deployment.kind} to {deployment.environment}
                  </Link>
                </TableCell>
                <TableCell>
                  <DeploymentStatusChip status={deployment.status} />
                </TableCell>
                <TableCell>
                  <Timestamp at={deployment.createdAt} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <PageControls label="deployment pages" pages={pages} />
    </>
  );
}
