import {
  Box,
  Chip,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Link, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EnvironmentStatus,
  Page,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { actorName } from '../shared/actorName';
import { CopyableDigest } from '../shared/CopyableDigest';
import { shortCommit } from '../shared/format';
import { PageControls } from '../shared/PageControls';
import { commitUrl } from '../shared/scmLinks';
import { useReleaseLinks } from '../shared/releaseLinks';
import { TableSkeleton } from '../shared/TableSkeleton';
import { Timestamp } from '../shared/Timestamp';
import { CheckChip } from '../shared/StatusChips';
import { useCursorPagination } from '../shared/useCursorPagination';
import { AttestationChips } from './AttestationChips';

/** Releases per page of the history. */
export const RELEASES_PAGE_SIZE = 20;

const HEADERS = [
  'Version',
  'Digest',
  'Commit',
  'Created',
  'Checks',
  'Attestations',
  'Runs in',
  'Revoked',
];

const useStyles = makeStyles(theme => ({
  // On a narrow page the table scrolls sideways rather than breaking its headers.
  scroller: { overflowX: 'auto' },
  nowrap: { whiteSpace: 'nowrap' },
  // A long version must not widen the table: cut it, and show it whole on hover.
  version: {
    display: 'inline-block',
    maxWidth: '16em',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    verticalAlign: 'bottom',
  },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  revoked: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/** @public */
export interface ReleaseHistoryTableProps {
  entityRef: string;
  /** The environments answer: where each release currently runs. */
  environments: EnvironmentStatus[];
  /** Changes when the caller knows something happened, to reload the page shown. */
  refreshKey?: number;
  /**
   * The newest page (of `RELEASES_PAGE_SIZE`), when the caller has loaded it already: the
   * tab loads it together with the environments, so the history needs no request of its own.
   */
  firstPage?: Page<Release>;
}

/**
 * The entity's releases, newest first, one server page at a time.
 *
 * @public
 */
export function ReleaseHistoryTable(props: ReleaseHistoryTableProps) {
  const { entityRef, environments, refreshKey, firstPage } = props;
  const classes = useStyles();
  const api = useApi(immutableReleasesApiRef);
  const links = useReleaseLinks(entityRef);
  const pages = useCursorPagination(
    cursor =>
      api.listReleases(entityRef, { limit: RELEASES_PAGE_SIZE, cursor }),
    [api, entityRef, refreshKey],
    firstPage,
  );

  const runsIn = (release: Release) =>
    environments
      .filter(e => e.currentRelease?.id === release.id)
      .map(e => e.name);

  return (
    <Box>
      {pages.error && <ResponseErrorPanel error={pages.error} />}
      {pages.loading && !pages.items && (
        <TableSkeleton label="loading release history" columns={8} />
      )}
      {pages.items && (
        <div className={classes.scroller}>
          <Table size="small" aria-label="release history">
            <TableHead>
              <TableRow>
                {HEADERS.map(header => (
                  <TableCell key={header} className={classes.nowrap}>
                    {header}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {pages.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={8}>No releases.</TableCell>
                </TableRow>
              )}
              {pages.items.map(release => {
                const link = commitUrl(release.source);
                return (
                  <TableRow key={release.id}>
                    <TableCell className={classes.nowrap}>
                      <Link to={links.release(release.id)}>
                        <Tooltip title={release.version}>
                          <strong className={classes.version}>
                            {release.version}
                          </strong>
                        </Tooltip>
                      </Link>
                    </TableCell>
                    <TableCell>
                      <CopyableDigest
                        digest={release.artifact.digest}
                        of={release.version}
                      />
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      {release.source.commit && link && (
                        <Link to={link}>
                          {shortCommit(release.source.commit)}
                        </Link>
                      )}
                      {release.source.commit && !link && (
                        <span>{shortCommit(release.source.commit)}</span>
                      )}
                      {!release.source.commit && '—'}
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      <Typography variant="body2">
                        {actorName(release.createdBy)}
                      </Typography>
                      <Timestamp at={release.createdAt} variant="caption" />
                    </TableCell>
                    <TableCell>
                      <div className={classes.chips}>
                        {(release.checks ?? []).map(check => (
                          <CheckChip
                            key={check.name}
                            name={check.name}
                            status={check.status}
                            summary={check.summary}
                          />
                        ))}
                      </div>
                    </TableCell>
                    <TableCell>
                      <AttestationChips
                        attestations={release.attestations ?? []}
                      />
                    </TableCell>
                    <TableCell>
                      <div className={classes.chips}>
                        {runsIn(release).map(name => (
                          <Chip key={name} size="small" label={name} />
                        ))}
                      </div>
                    </TableCell>
                    <TableCell>
                      {release.revocation ? (
                        <Tooltip
                          title={`${release.revocation.reason} — ${release.revocation.revokedBy}, ${release.revocation.revokedAt}`}
                        >
                          <Chip
                            size="small"
                            className={classes.revoked}
                            label="revoked"
                          />
                        </Tooltip>
                      ) : (
                        '—'
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
      <PageControls label="release history pages" pages={pages} />
    </Box>
  );
}
