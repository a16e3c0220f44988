import {
  Box,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { FleetFilter } from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useDebouncedRefresh } from '../../hooks/useReleaseSignal';
import { EntityReleasesLink } from '../shared/EntityReleasesLink';
import { fetchNonEmptyPage } from '../shared/fetchNonEmptyPage';
import { PageControls } from '../shared/PageControls';
import { ReleaseSignalListeners } from '../shared/ReleaseSignalListeners';
import { useCursorPagination } from '../shared/useCursorPagination';
import { FleetEnvironmentCell } from './FleetEnvironmentCell';
import { UnmanagedAlert } from './UnmanagedAlert';

/** Entities per page of the fleet. */
export const FLEET_PAGE_SIZE = 25;

const useStyles = makeStyles(theme => ({
  environments: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
  nowrap: { whiteSpace: 'nowrap' },
}));

/**
 * The entities that match the filter, a server page at a time: each with its environments in
 * pipeline order. Mount it anew (a `key`) when the filter changes, to start at the first page.
 */
export function FleetTable(props: { filter: FleetFilter; filtered: boolean }) {
  const { filter, filtered } = props;
  const classes = useStyles();
  const api = useApi(immutableReleasesApiRef);
  const { refreshKey, requestRefresh } = useDebouncedRefresh();
  const pages = useCursorPagination(
    cursor =>
      fetchNonEmptyPage(
        next => api.listFleet(filter, { limit: FLEET_PAGE_SIZE, cursor: next }),
        cursor,
      ),
    [api, filter, refreshKey],
  );
  const entities = pages.items;

  return (
    <Box>
      {pages.error && <ResponseErrorPanel error={pages.error} />}
      {pages.loading && <Progress />}
      {entities && (
        <>
          <UnmanagedAlert entities={entities} />
          <Table size="small" aria-label="fleet">
            <TableHead>
              <TableRow>
                <TableCell>Entity</TableCell>
                <TableCell>Pipeline</TableCell>
                <TableCell>Environments</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {entities.length === 0 && (
                <TableRow>
                  <TableCell colSpan={3}>
                    <Typography color="textSecondary">
                      {emptyPageMessage(filtered, pages.hasNext)}
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
              {entities.map(entity => (
                <TableRow key={entity.entityRef} aria-label={entity.entityRef}>
                  <TableCell className={classes.nowrap}>
                    <EntityReleasesLink entityRef={entity.entityRef} />
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    {entity.pipeline}
                  </TableCell>
                  <TableCell>
                    <Box className={classes.environments}>
                      {entity.environments.map(environment => (
                        <FleetEnvironmentCell
                          key={environment.name}
                          environment={environment}
                        />
                      ))}
                    </Box>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <ReleaseSignalListeners
            entityRefs={entities.map(({ entityRef }) => entityRef)}
            onSignal={requestRefresh}
          />
        </>
      )}
      <PageControls label="fleet pages" pages={pages} />
    </Box>
  );
}

function emptyPageMessage(filtered: boolean, morePages: boolean): string {
  if (morePages) {
    return 'Nothing on this page; there is more after it.';
  }
  return filtered
    ? 'No entity matches the filters.'
    : 'No entity has releases yet.';
}
