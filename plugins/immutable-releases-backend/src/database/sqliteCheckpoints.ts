import { Worker } from 'node:worker_threads';

/** How often the background connection copies the WAL into the database. */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * WAL pages after which a writing connection checkpoints by itself: only
 * when the background connection falls far behind (SQLite's default is
 * 1,000, about 4 MB).
 */
export const FOREGROUND_CHECKPOINT_PAGES = 10_000;

// Evaluated as the worker's script, so that the plugin's build needs no file
// of its own for it. A PASSIVE checkpoint neither waits for nor blocks the
// connections that read and write.
const WORKER_SCRIPT = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy with another checkpoint, or the file is gone: the next tick tries again.
  }
}, workerData.intervalMs);
`;

/**
 * Checkpoints a file database's write-ahead log from a thread of its own.
 * better-sqlite3 runs on the event loop, so a checkpoint that a commit runs
 * (the WAL past 1,000 pages) held the whole backend for 13–15 ms while it
 * wrote the pages back and waited for the disk.
 */
export class BackgroundCheckpoints {
  private constructor(private readonly worker: Worker) {}

  static start(filename: string): BackgroundCheckpoints {
    const worker = new Worker(WORKER_SCRIPT, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        filename,
        intervalMs: CHECKPOINT_INTERVAL_MS,
      },
    });
    // It never keeps the process alive; a failure to start leaves
    // checkpoints to the writing connections.
    worker.unref();
    worker.on('error', () => {});
    return new BackgroundCheckpoints(worker);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
