import { benchLog, BenchReport, formatMeasure } from '@internal/test-utils';
import { percentile } from '../loadClient';
import { LoadedRequest } from './pageTimings';

/** The bound for each page: navigation start → visible, at full scale. */
export const PAGE_TARGET_MS = 1500;

/** A page load that showed what it waited for. */
export interface ShownLoad {
  shownAfterMs: number;
  containerShownAfterMs: number;
}

/**
 * `<name>.p50/p95` and, if asked, the target on the p95; `<name>.entityPage.p50/p95`,
 * when the entity page around it was shown (how far the app gets without the
 * plugin's code); `<name>.afterEntityPage.p50/p95`, what the page measured
 * took after that, load by load.
 */
export function reportPageLoads(
  report: BenchReport,
  name: string,
  loads: ShownLoad[],
  options: { target: boolean },
) {
  const percentiles = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  };
  const shown = percentiles(loads.map(load => load.shownAfterMs));
  const entityPage = percentiles(loads.map(load => load.containerShownAfterMs));
  const afterEntityPage = percentiles(
    loads.map(load => load.shownAfterMs - load.containerShownAfterMs),
  );
  report.metric(`${name}.p50`, shown.p50, 'ms');
  report.metric(`${name}.p95`, shown.p95, 'ms');
  report.metric(`${name}.entityPage.p50`, entityPage.p50, 'ms');
  report.metric(`${name}.entityPage.p95`, entityPage.p95, 'ms');
  report.metric(`${name}.afterEntityPage.p50`, afterEntityPage.p50, 'ms');
  report.metric(`${name}.afterEntityPage.p95`, afterEntityPage.p95, 'ms');
  report.latencies(name, { ours: shown });
  if (options.target) {
    report.target(
      `${name}.p95`,
      shown.p95,
      `<=${PAGE_TARGET_MS}ms`,
      shown.p95 <= PAGE_TARGET_MS,
    );
  }
}

/** `<name>.p50/p95` of moves within the app, from the click until the page showed. */
export function reportInAppMoves(
  report: BenchReport,
  name: string,
  shownAfterMs: number[],
) {
  const sorted = [...shownAfterMs].sort((a, b) => a - b);
  const shown = { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  report.metric(`${name}.p50`, shown.p50, 'ms');
  report.metric(`${name}.p95`, shown.p95, 'ms');
  report.latencies(name, { ours: shown });
}

/**
 * Where the time of one page load went, on stderr: every API request with
 * its start and end since navigation start, and the app's own files as one
 * line (the production bundle's scripts, styles and icons).
 */
export function logWaterfall(
  what: string,
  load: ShownLoad & { requests: LoadedRequest[] },
  appUrl: string,
) {
  const { requests } = load;
  const span = (start: number, end: number) =>
    `${formatMeasure(start).padStart(5)}–${formatMeasure(end).padStart(5)} ms`;
  const appFiles = requests.filter(request => request.url.startsWith(appUrl));
  const others = requests
    .filter(request => !request.url.startsWith(appUrl))
    .sort((a, b) => a.start - b.start);
  benchLog(
    `${what}: the entity page after ${formatMeasure(
      load.containerShownAfterMs,
    )} ms, shown after ${formatMeasure(load.shownAfterMs)} ms`,
  );
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
