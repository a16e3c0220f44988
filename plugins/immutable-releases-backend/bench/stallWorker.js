// @ts-check
/* eslint-disable no-restricted-imports */
// Watches for the machine standing still: a timer due every TICK_MS that
// fires STALL_MS or more late means no thread of this process ran for that
// long (the virtual machine was paused, or starved of CPU). It runs in a
// worker thread, so the benchmark's own work on the main event loop does not
// count. Answers any message with the stalls seen so far, as
// [start, end] pairs in ms since the epoch.
const { parentPort, workerData } = require('node:worker_threads');

const { tickMs, stallMs } = workerData;
const now = () => performance.timeOrigin + performance.now();
/** @type {Array<[number, number]>} */
const stalls = [];
let last = now();

setInterval(() => {
  const current = now();
  if (current - last - tickMs >= stallMs) {
    stalls.push([last + tickMs, current]);
  }
  last = current;
}, tickMs);

parentPort?.on('message', () => parentPort?.postMessage(stalls));
