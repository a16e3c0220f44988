import { benchLog, BenchReport, formatMeasure } from '@internal/test-utils';
import { percentile } from '../loadClient';
import { LoadedRequest } from './pageTimings';

/** The bound for each page: navigation start → visible, at full scale. */
export const PAGE_TARGET_MS = 1500;

/** `<name>.p50`, `<name>.p95` and the target on the p95 of the measured loads. */
export function reportPageLoads(
  report: BenchReport,
  name: string,
  shownAfterMs: number[],
) {
  const sorted = [...shownAfterMs].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  report.metric(`${name}.p50`, p50, 'ms');
  report.metric(`${name}.p95`, p95, 'ms');
  report.target(
    `${name}.p95`,
    p95,
    `<=${PAGE_TARGET_MS}ms`,
    p95 <= PAGE_TARGET_MS,
  );
}

/**
 * Where the time of one page load went, on stderr: every API request with
 * its start and end since navigation start, and the app's own files as one
 * line (the production bundle's scripts, styles and icons).
 */
export function logWaterfall(
  what: string,
  shownAfterMs: number,
  requests: LoadedRequest[],
  appUrl: string,
) {
  const span = (start: number, end: number) =>
    `${formatMeasure(start).padStart(5)}–${formatMeasure(end).padStart(5)} ms`;
  const appFiles = requests.filter(request => request.url.startsWith(appUrl));
  const others = requests
    .filter(request => !request.url.startsWith(appUrl))
    .sort((a, b) => a.start - b.start);
  benchLog(`${what}: shown after ${formatMeasure(shownAfterMs)} ms`);
  if (appFiles.length > 0) {
    benchLog(
      `  ${span(
        Math.min(...appFiles.map(r => r.start)),
        Math.max(...appFiles.map(r => r.end)),
      )}  ${appFiles.length} files of the app (index.html, scripts, styles)`,
    );
  }
  for (const request of others) {
    const url = new URL(request.url);
    benchLog(
      `  ${span(request.start, request.end)}  ${request.status} ${
        request.method
      } ${url.pathname}${url.search}`,
    );
  }
}
