import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { CapturedScheduledTasks } from './CapturedScheduledTasks';

describe('CapturedScheduledTasks', () => {
  it('keeps what a plugin schedules, to run it by its id', async () => {
    const runs: string[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'counting',
      register(reg) {
        reg.registerInit({
          deps: { scheduler: coreServices.scheduler },
          async init({ scheduler }) {
            await scheduler.scheduleTask({
              id: 'counting-count',
              frequency: { minutes: 1 },
              timeout: { minutes: 1 },
              fn: async () => {
                runs.push('count');
              },
            });
          },
        });
      },
    });
    const tasks = new CapturedScheduledTasks();
    const backend = await startTestBackend({
      features: [plugin, tasks.factory],
    });

    try {
      expect(tasks.ids()).toEqual(['counting-count']);
      expect(runs).toEqual([]);
      await tasks.run('counting-count');
      expect(runs).toEqual(['count']);
      await expect(tasks.run('counting-other')).rejects.toThrow(
        'no task counting-other was scheduled; scheduled: counting-count',
      );
    } finally {
      await backend.stop();
    }
  });
});
