import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { errorMessage } from '../components/shared/format';

/**
 * Runs actions the user takes and tells them how each went through the alert
 * API: a transient success message, or the failure with the error's message.
 * `busy` is true while an action runs.
 *
 * @param onDone - called after an action succeeded, e.g. to reload.
 */
export function useAlertedAction(onDone: () => void) {
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const run = async (
    action: () => Promise<unknown>,
    messages: { succeeded: string; failed: string },
  ) => {
    setBusy(true);
    try {
      await action();
      alertApi.post({
        message: messages.succeeded,
        severity: 'success',
        display: 'transient',
      });
      onDone();
    } catch (error) {
      alertApi.post({
        message: `${messages.failed}: ${errorMessage(error)}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return { run, busy };
}
