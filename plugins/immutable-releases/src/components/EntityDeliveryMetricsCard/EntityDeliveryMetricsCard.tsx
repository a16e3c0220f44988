import { useState } from 'react';
import { Box, Grid, MenuItem, TextField, Typography } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { humanizeSeconds } from '../shared/format';
import { useEntityRef } from '../shared/useEntityRef';

/** The window the figures are computed over. */
export const METRICS_WINDOW_DAYS = 30;

/**
 * Deployments per day in the window before the last one, from two real answers: the
 * frequency over the last `days` and over the last `2 × days` (succeeded deployments / days).
 */
export function previousWindowFrequency(
  lastWindow: number,
  lastTwoWindows: number,
  days: number = METRICS_WINDOW_DAYS,
): number {
  const deploymentsBefore = lastTwoWindows * 2 * days - lastWindow * days;
  return Math.max(0, deploymentsBefore) / days;
}

function trendArrow(current: number, previous: number): string {
  if (current > previous) {
    return '▲';
  }
  return current < previous ? '▼' : '=';
}

function formatPerDay(value: number): string {
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}/day`;
}

function Figure(props: { label: string; value: string; detail?: string }) {
  return (
    <Grid item xs={6}>
      <Box aria-label={props.label} role="group">
        <Typography variant="overline">{props.label}</Typography>
        <Typography variant="h5">{props.value}</Typography>
        {props.detail && (
          <Typography variant="caption" color="textSecondary">
            {props.detail}
          </Typography>
        )}
      </Box>
    </Grid>
  );
}

/**
 * The four DORA figures of one environment (default: the last of the pipeline) over the
 * last 30 days, with the deployment frequency of the 30 days before as trend.
 *
 * @public
 */
export function EntityDeliveryMetricsCard() {
  const entityRef = useEntityRef();
  const api = useApi(immutableReleasesApiRef);
  const [chosenEnvironment, setChosenEnvironment] = useState<string>();

  const environments = useAsync(
    () => api.getEnvironments(entityRef),
    [api, entityRef],
  );
  const names = environments.value?.environments.map(e => e.name) ?? [];
  const environment = chosenEnvironment ?? names[names.length - 1];

  const metrics = useAsync(async () => {
    if (!environment) {
      return undefined;
    }
    const [last, lastTwo] = await Promise.all([
      api.getMetrics(entityRef, { environment, days: METRICS_WINDOW_DAYS }),
      api.getMetrics(entityRef, {
        environment,
        days: 2 * METRICS_WINDOW_DAYS,
      }),
    ]);
    return {
      last,
      previousFrequency: previousWindowFrequency(
        last.deploymentFrequency,
        lastTwo.deploymentFrequency,
      ),
    };
  }, [api, entityRef, environment]);

  const error = environments.error ?? metrics.error;
  const figures = metrics.value?.last;
  const trend = metrics.value && {
    previous: metrics.value.previousFrequency,
    arrow: trendArrow(
      metrics.value.last.deploymentFrequency,
      metrics.value.previousFrequency,
    ),
  };

  return (
    <InfoCard
      title="Delivery metrics"
      subheader={`Last ${METRICS_WINDOW_DAYS} days`}
    >
      {names.length > 0 && (
        <TextField
          select
          size="small"
          id="delivery-metrics-environment"
          label="Environment"
          value={environment}
          onChange={event => setChosenEnvironment(event.target.value)}
        >
          {names.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
      )}
      {error && <ResponseErrorPanel error={error} />}
      {(environments.loading || metrics.loading) && <Progress />}
      {figures && trend && !metrics.loading && (
        <Box mt={2}>
          <Grid container spacing={2}>
            <Figure
              label="Deployment frequency"
              value={formatPerDay(figures.deploymentFrequency)}
              detail={`${
                trend.arrow
              } previous ${METRICS_WINDOW_DAYS} days: ${formatPerDay(
                trend.previous,
              )}`}
            />
            <Figure
              label="Lead time for changes"
              value={
                figures.leadTimeSeconds.p50 === null
                  ? 'no data'
                  : `${humanizeSeconds(figures.leadTimeSeconds.p50)} p50`
              }
              detail={
                figures.leadTimeSeconds.p90 === null
                  ? undefined
                  : `${humanizeSeconds(figures.leadTimeSeconds.p90)} p90`
              }
            />
            <Figure
              label="Change failure rate"
              value={
                figures.changeFailureRate === null
                  ? 'no data'
                  : `${(figures.changeFailureRate * 100).toFixed(1)}%`
              }
            />
            <Figure
              label="Time to restore"
              value={
                figures.timeToRestoreSeconds.p50 === null
                  ? 'no data'
                  : `${humanizeSeconds(figures.timeToRestoreSeconds.p50)} p50`
              }
            />
          </Grid>
        </Box>
      )}
    </InfoCard>
  );
}
