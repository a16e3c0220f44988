import { renderHook, waitFor } from '@testing-library/react';
import { GateResult } from 'backstage-plugin-immutable-releases-common';
import { entityRef, mockImmutableReleasesApi } from '../__testUtils__/fixtures';
import { withApis } from '../__testUtils__/hookWrapper';
import { deferred } from '../__testUtils__/render';
import { DryRunResult } from '../api/ImmutableReleasesApi';
import {
  PromotionDryRunRequest,
  usePromotionDryRun,
} from './usePromotionDryRun';

const failedUpstream: GateResult = {
  name: 'upstream',
  passed: false,
  message: 'release 1.4.0 has not succeeded in staging',
};
const passedUpstream: GateResult = {
  ...failedUpstream,
  passed: true,
  message: 'ok',
};

function renderDryRun(
  api: ReturnType<typeof mockImmutableReleasesApi>,
  request: PromotionDryRunRequest,
  enabled = true,
) {
  return renderHook(props => usePromotionDryRun(props.request, props.enabled), {
    wrapper: withApis({ api }),
    initialProps: { request, enabled },
  });
}

describe('usePromotionDryRun', () => {
  const request = {
    entityRef,
    releaseId: 'release-1.4.0',
    environment: 'production',
  };

  it('asks for the gates and names the blocking ones', async () => {
    const api = mockImmutableReleasesApi();
    api.dryRunPromotion.mockResolvedValue({ gates: [failedUpstream] });
    const { result } = renderDryRun(api, request);

    expect(result.current.running).toBe(true);
    await waitFor(() => expect(result.current.gates).toEqual([failedUpstream]));
    expect(result.current.blocking).toEqual([failedUpstream]);
    expect(result.current.running).toBe(false);
    expect(api.dryRunPromotion).toHaveBeenCalledWith(request);
  });

  it('asks nothing while disabled or without a release', () => {
    const api = mockImmutableReleasesApi();
    renderDryRun(api, request, false);
    renderDryRun(api, { ...request, releaseId: undefined });
    expect(api.dryRunPromotion).not.toHaveBeenCalled();
  });

  it('drops the answer to an earlier request and shows that of the promotion as it is now', async () => {
    const api = mockImmutableReleasesApi();
    const first = deferred<DryRunResult>();
    const second = deferred<DryRunResult>();
    api.dryRunPromotion
      .mockReturnValueOnce(first.promise)
      .mockReturnValueOnce(second.promise);
    const { result, rerender } = renderDryRun(api, request);

    const withOverride = { ...request, override: { reason: 'hotfix' } };
    rerender({ request: withOverride, enabled: true });
    await waitFor(() =>
      expect(api.dryRunPromotion).toHaveBeenLastCalledWith(withOverride),
    );
    second.resolve({ gates: [passedUpstream] });
    await waitFor(() => expect(result.current.gates).toEqual([passedUpstream]));
    first.resolve({ gates: [failedUpstream] });
    await first.promise;

    expect(result.current.gates).toEqual([passedUpstream]);
    expect(result.current.blocking).toEqual([]);
  });

  it('reports a failed dry run only for the request it answered', async () => {
    const api = mockImmutableReleasesApi();
    api.dryRunPromotion.mockRejectedValueOnce(new Error('backend down'));
    const { result, rerender } = renderDryRun(api, request);
    await waitFor(() =>
      expect(result.current.error?.message).toBe('backend down'),
    );
    expect(result.current.gates).toBeUndefined();

    api.dryRunPromotion.mockResolvedValueOnce({ gates: [passedUpstream] });
    rerender({
      request: { ...request, environment: 'staging' },
      enabled: true,
    });
    expect(result.current.error).toBeUndefined();
    await waitFor(() => expect(result.current.gates).toEqual([passedUpstream]));
  });
});
