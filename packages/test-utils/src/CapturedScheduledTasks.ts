import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';

/**
 * A scheduler that runs nothing by itself: it keeps the tasks that plugins
 * schedule, so that a test (or a benchmark, which has no Jest) runs one by
 * its id when it wants.
 */
export class CapturedScheduledTasks {
  private readonly tasks = new Map<string, SchedulerServiceTaskFunction>();

  /** The scheduler service that captures into this. */
  readonly factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () => {
      const scheduler: SchedulerService = {
        scheduleTask: async task => {
          this.tasks.set(task.id, task.fn);
        },
        createScheduledTaskRunner: schedule => ({
          run: task => scheduler.scheduleTask({ ...schedule, ...task }),
        }),
        triggerTask: id => this.run(id),
        cancelTask: async () => {},
        getScheduledTasks: async () =>
          this.ids().map(id => ({
            id,
            scope: 'global' as const,
            settings: { version: 2 },
          })),
      };
      return scheduler;
    },
  });

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
