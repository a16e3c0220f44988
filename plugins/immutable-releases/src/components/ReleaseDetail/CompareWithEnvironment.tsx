import { useState } from 'react';
import {
  Box,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import {
  EnvironmentStatus,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { usePromotionDryRun } from '../../hooks/usePromotionDryRun';
import { shortCommit } from '../shared/format';
import { GateList } from '../shared/GateList';
import { useReleaseLinks } from '../shared/releaseLinks';
import { compareReleases, ReleaseComparison } from './compareReleases';

/**
 * The environment a release is compared with first: the last of the pipeline that runs
 * another release (production, typically), else the last that runs anything.
 */
export function defaultComparisonEnvironment(
  release: Release,
  environments: EnvironmentStatus[],
): string | undefined {
  const running = environments.filter(e => e.currentRelease);
  const other = running.filter(e => e.currentRelease!.id !== release.id);
  const last = <T,>(items: T[]) => items[items.length - 1];
  return (last(other) ?? last(running))?.name;
}

/** The release against what runs in an environment the user picks, and its gates there. */
export function CompareWithEnvironment(props: {
  release: Release;
  environments: EnvironmentStatus[];
}) {
  const { release, environments } = props;
  const [chosen, setChosen] = useState(() =>
    defaultComparisonEnvironment(release, environments),
  );
  const environment = environments.find(e => e.name === chosen);
  const current = environment?.currentRelease;

  if (!chosen || !environment) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing runs in any environment yet: there is nothing to compare with.
      </Typography>
    );
  }
  return (
    <Box>
      <TextField
        select
        size="small"
        label="Compare with what runs in"
        style={{ minWidth: '16em' }}
        value={chosen}
        onChange={event => setChosen(event.target.value)}
        SelectProps={{
          SelectDisplayProps: { 'aria-label': 'environment' } as object,
        }}
      >
        {environments.map(e => (
          <MenuItem key={e.name} value={e.name}>
            {e.name}
          </MenuItem>
        ))}
      </TextField>
      <Box mt={2}>
        {!current && (
          <Typography variant="body2">Nothing runs in {chosen} yet.</Typography>
        )}
        {current?.id === release.id && (
          <Typography variant="body2">
            {release.version} is what runs in {chosen}.
          </Typography>
        )}
        {current && current.id !== release.id && (
          <ComparisonWithRunning
            release={release}
            runningId={current.id}
            environment={chosen}
          />
        )}
      </Box>
      {current?.id !== release.id && (
        <GatesThere release={release} environment={chosen} />
      )}
    </Box>
  );
}

function ComparisonWithRunning(props: {
  release: Release;
  runningId: string;
  environment: string;
}) {
  const { release, runningId, environment } = props;
  const api = useApi(immutableReleasesApiRef);
  const links = useReleaseLinks(release.entityRef);
  const running = useAsync(() => api.getRelease(runningId), [api, runningId]);
  if (running.error) {
    return <ResponseErrorPanel error={running.error} />;
  }
  if (!running.value) {
    return <Progress />;
  }
  const comparison = compareReleases(release, running.value);
  return (
    <section aria-label={`comparison with ${environment}`}>
      <Typography variant="body2" paragraph>
        {environment} runs{' '}
        <Link to={links.release(running.value.id)}>
          {running.value.version}
        </Link>
        . From there to {release.version}:
      </Typography>
      <CommitRangeLine comparison={comparison} />
      <Differences
        comparison={comparison}
        candidate={release.version}
        running={running.value.version}
      />
    </section>
  );
}

function CommitRangeLine(props: { comparison: ReleaseComparison }) {
  const { commits } = props.comparison;
  if (commits.kind === 'same') {
    return (
      <Typography variant="body2" paragraph>
        Commits: none, both were built from {shortCommit(commits.commit)}.
      </Typography>
    );
  }
  if (commits.kind === 'unknown') {
    return (
      <Typography variant="body2" paragraph>
        Commits: unknown, {commits.reason}.
      </Typography>
    );
  }
  const range = `${shortCommit(commits.from)}…${shortCommit(commits.to)}`;
  return (
    <Typography variant="body2" paragraph>
      Commits:{' '}
      {commits.url ? <Link to={commits.url}>compare {range}</Link> : range}
    </Typography>
  );
}

function Differences(props: {
  comparison: ReleaseComparison;
  candidate: string;
  running: string;
}) {
  const { comparison, candidate, running } = props;
  if (comparison.checks.length === 0 && comparison.labels.length === 0) {
    return (
      <Typography variant="body2">Checks and labels are the same.</Typography>
    );
  }
  return (
    <Table size="small" aria-label="differences">
      <TableHead>
        <TableRow>
          <TableCell />
          <TableCell>{candidate}</TableCell>
          <TableCell>{running}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {comparison.checks.map(check => (
          <TableRow key={`check ${check.name}`}>
            <TableCell>check {check.name}</TableCell>
            <TableCell>{check.candidate ?? '—'}</TableCell>
            <TableCell>{check.running ?? '—'}</TableCell>
          </TableRow>
        ))}
        {comparison.labels.map(label => (
          <TableRow key={`label ${label.key}`}>
            <TableCell>label {label.key}</TableCell>
            <TableCell>{label.candidate ?? '—'}</TableCell>
            <TableCell>{label.running ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The gates of promoting the release into the environment now, by a dry run. */
function GatesThere(props: { release: Release; environment: string }) {
  const { release, environment } = props;
  const dryRun = usePromotionDryRun(
    { entityRef: release.entityRef, releaseId: release.id, environment },
    true,
  );
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">
        Gates of promoting {release.version} to {environment} now
      </Typography>
      {dryRun.running && <Progress />}
      {dryRun.error && <ResponseErrorPanel error={dryRun.error} />}
      {dryRun.gates && (
        <GateList
          gates={dryRun.gates}
          label={`gates of promoting to ${environment}`}
        />
      )}
      {dryRun.gates && dryRun.blocking.length > 0 && (
        <Alert severity="warning">
          A promotion would be refused:{' '}
          {dryRun.blocking.map(gate => gate.name).join(', ')}.
        </Alert>
      )}
    </Box>
  );
}
