import { act, renderHook } from '@testing-library/react';
import { mockImmutableReleasesApi } from '../__testUtils__/fixtures';
import { withApis } from '../__testUtils__/hookWrapper';
import { mockAlertApi } from '../__testUtils__/render';
import { useAlertedAction } from './useAlertedAction';

describe('useAlertedAction', () => {
  function renderAction() {
    const alertApi = mockAlertApi();
    const onDone = jest.fn();
    const { result } = renderHook(() => useAlertedAction(onDone), {
      wrapper: withApis({ api: mockImmutableReleasesApi(), alertApi }),
    });
    return { result, alertApi, onDone };
  }
  const messages = { succeeded: 'Released the hold', failed: 'Could not' };

  it('says an action succeeded, briefly, and then calls onDone', async () => {
    const { result, alertApi, onDone } = renderAction();
    await act(() => result.current.run(async () => 'ok', messages));

    expect(alertApi.post).toHaveBeenCalledWith({
      message: 'Released the hold',
      severity: 'success',
      display: 'transient',
    });
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(result.current.busy).toBe(false);
  });

  it('says why an action failed and does not call onDone', async () => {
    const { result, alertApi, onDone } = renderAction();
    await act(() =>
      result.current.run(async () => {
        throw new Error('hold already released');
      }, messages),
    );

    expect(alertApi.post).toHaveBeenCalledWith({
      message: 'Could not: hold already released',
      severity: 'error',
    });
    expect(onDone).not.toHaveBeenCalled();
    expect(result.current.busy).toBe(false);
  });
});
