import { useState } from 'react';
import { Box, makeStyles, Typography } from '@material-ui/core';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useDebouncedRefresh } from '../../hooks/useReleaseSignal';
import { fetchNonEmptyPage } from '../shared/fetchNonEmptyPage';
import { PageControls } from '../shared/PageControls';
import { ReleaseSignalListeners } from '../shared/ReleaseSignalListeners';
import { useCursorPagination } from '../shared/useCursorPagination';
import { WaitingDeployment } from './WaitingDeployment';

/** Deployments per page of the inbox. */
export const APPROVALS_PAGE_SIZE = 20;

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
}));

/**
 * The pending deployments the signed-in user may approve or reject, newest first, each with
 * Approve and Reject; a decided deployment leaves the list.
 */
export function ApprovalInbox() {
  const classes = useStyles();
  const api = useApi(immutableReleasesApiRef);
  const { refreshKey, requestRefresh } = useDebouncedRefresh();
  const pages = useCursorPagination(
    cursor =>
      fetchNonEmptyPage(
        next => api.listApprovals({ limit: APPROVALS_PAGE_SIZE, cursor: next }),
        cursor,
      ),
    [api, refreshKey],
  );
  const [decidedIds, setDecidedIds] = useState<ReadonlySet<string>>(new Set());

  const waiting = pages.items?.filter(({ id }) => !decidedIds.has(id));
  const decided = (deploymentId: string) => {
    setDecidedIds(previous => new Set(previous).add(deploymentId));
    if (waiting?.every(({ id }) => id === deploymentId)) {
      // the page is done; what comes after it moves up
      pages.retry();
    }
  };

  if (pages.error) {
    return <ResponseErrorPanel error={pages.error} />;
  }
  if (!waiting) {
    return <Progress />;
  }
  const nothingAnywhere =
    waiting.length === 0 &&
    pages.pageIndex === 0 &&
    !pages.hasNext &&
    !pages.loading;
  if (nothingAnywhere) {
    return (
      <EmptyState
        missing="data"
        title="Nothing waits for your approval"
        description="Deployments into environments that require approvals show up here when you may approve them: not ones you requested or whose release you created."
      />
    );
  }
  return (
    <Box>
      {pages.loading && <Progress />}
      {waiting.length === 0 && !pages.loading && (
        <Typography color="textSecondary">
          Nothing waits for you on this page.
        </Typography>
      )}
      <ul className={classes.list} aria-label="waiting for my approval">
        {waiting.map(deployment => (
          <WaitingDeployment
            key={deployment.id}
            deployment={deployment}
            onDecided={() => decided(deployment.id)}
          />
        ))}
      </ul>
      <PageControls label="approval pages" pages={pages} />
      <ReleaseSignalListeners
        entityRefs={waiting.map(({ entityRef }) => entityRef)}
        onSignal={requestRefresh}
      />
    </Box>
  );
}
