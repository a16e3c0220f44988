import { screen, within } from '@testing-library/react';
import {
  entityRef,
  environment,
  mockImmutableReleasesApi,
} from '../../__testUtils__/fixtures';
import { renderOnEntityPage } from '../../__testUtils__/render';
import {
  EntityDeliveryMetricsCard,
  previousWindowFrequency,
} from './EntityDeliveryMetricsCard';

describe('EntityDeliveryMetricsCard', () => {
  it('shows the four figures of the last environment with the frequency trend', async () => {
    const api = mockImmutableReleasesApi();
    api.getEnvironments.mockResolvedValue({
      pipeline: 'default',
      environments: [
        environment({ name: 'staging' }),
        environment({ name: 'production', from: 'staging' }),
      ],
    });
    api.getMetrics.mockImplementation(async (_ref, options) =>
      options?.days === 30
        ? {
            environment: 'production',
            days: 30,
            deploymentFrequency: 2,
            leadTimeSeconds: { p50: 5400, p90: 2 * 86400 },
            changeFailureRate: 0.125,
            timeToRestoreSeconds: { p50: 1200 },
          }
        : {
            environment: 'production',
            days: 60,
            // 60 deployments in 30 days plus 30 in the 30 days before: 90 / 60
            deploymentFrequency: 1.5,
            leadTimeSeconds: { p50: null, p90: null },
            changeFailureRate: null,
            timeToRestoreSeconds: { p50: null },
          },
    );
    await renderOnEntityPage(<EntityDeliveryMetricsCard />, { api });

    const frequency = await screen.findByRole('group', {
      name: 'Deployment frequency',
    });
    expect(frequency).toHaveTextContent('2.00/day');
    expect(frequency).toHaveTextContent('▲ previous 30 days: 1.00/day');
    expect(
      screen.getByRole('group', { name: 'Lead time for changes' }),
    ).toHaveTextContent('1h 30m p502d p90');
    expect(
      screen.getByRole('group', { name: 'Change failure rate' }),
    ).toHaveTextContent('12.5%');
    expect(
      screen.getByRole('group', { name: 'Time to restore' }),
    ).toHaveTextContent('20m p50');
    expect(api.getMetrics).toHaveBeenCalledWith(entityRef, {
      environment: 'production',
      days: 30,
    });
    expect(api.getMetrics).toHaveBeenCalledWith(entityRef, {
      environment: 'production',
      days: 60,
    });
  });

  it('says "no data" for figures without data', async () => {
    const api = mockImmutableReleasesApi();
    api.getEnvironments.mockResolvedValue({
      pipeline: 'default',
      environments: [environment({ name: 'production' })],
    });
    api.getMetrics.mockResolvedValue({
      environment: 'production',
      days: 30,
      deploymentFrequency: 0,
      leadTimeSeconds: { p50: null, p90: null },
      changeFailureRate: null,
      timeToRestoreSeconds: { p50: null },
    });
    await renderOnEntityPage(<EntityDeliveryMetricsCard />, { api });
    const failureRate = await screen.findByRole('group', {
      name: 'Change failure rate',
    });
    expect(within(failureRate).getByText('no data')).toBeInTheDocument();
  });

  it('shows an API error', async () => {
    const api = mockImmutableReleasesApi();
    api.getEnvironments.mockResolvedValue({
      pipeline: 'default',
      environments: [environment({ name: 'production' })],
    });
    api.getMetrics.mockRejectedValue(new Error('metrics unavailable'));
    await renderOnEntityPage(<EntityDeliveryMetricsCard />, { api });
    expect(
      await screen.findByText('Error: metrics unavailable'),
    ).toBeInTheDocument();
  });

  it('derives the previous window from the two windows', () => {
    expect(previousWindowFrequency(2, 1.5, 30)).toBe(1);
    expect(previousWindowFrequency(0, 0, 30)).toBe(0);
  });
});
