import type { SchedulerServiceTaskFunction } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

/**
 * A scheduler that runs nothing by itself: it keeps the tasks that plugins
 * schedule, so that a test runs one by its id when it wants.
 */
export class CapturedScheduledTasks {
  private readonly tasks = new Map<string, SchedulerServiceTaskFunction>();

  /** The scheduler service that captures into this. */
  readonly factory = mockServices.scheduler.mock({
    scheduleTask: async task => {
      this.tasks.set(task.id, task.fn);
    },
  }).factory;

  /** The ids of the tasks scheduled so far. */
  ids(): string[] {
    return [...this.tasks.keys()];
  }

  /** Runs the task once, as the scheduler would. */
  async run(
    id: string,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<void> {
    const task = this.tasks.get(id);
    if (!task) {
      throw new Error(
        `no task ${id} was scheduled; scheduled: ${
          this.ids().join(', ') || 'none'
        }`,
      );
    }
    await task(signal);
  }
}
