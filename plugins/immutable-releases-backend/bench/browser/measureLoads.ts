import { BenchReport, benchLog } from '@internal/test-utils';
import { BrowserSeed, MEASURED_ENTITY } from './browserSeed';
import {
  deploymentDetailShown,
  deploymentPagePath,
  entityPageShown,
  releasesTabPath,
  releasesTabShown,
} from './measuredPages';
import {
  logWaterfall,
  PAGE_TARGET_MS,
  reportPageLoads,
} from './pageLoadReport';
import { PageLoad, PageTimer } from './pageTimings';

/** Longer than any page that exists could take: then it is broken or missing. */
const TAB_TIMEOUT_MS = 60_000;
const DEPLOYMENT_TIMEOUT_MS = 30_000;

type Shown = Extract<PageLoad, { shownAfterMs: number }>;

function shownOrThrow(what: string, load: PageLoad): Shown {
  if (load.shownAfterMs === undefined) {
    throw new Error(
      `${what} was not shown within the timeout; the page showed "${load.what.text}" (screenshot ${load.screenshot})`,
    );
  }
  return load;
}

/**
 * One warm-up load of each page, then `rounds` cold loads of each in turn:
 * the Releases tab (pipeline and first history page) and the newest
 * production deployment's page. Reports p50, p95 and the targets; the
 * deployment page as not measured where the app has no such page yet.
 */
export async function measurePageLoads(options: {
  timer: PageTimer;
  appUrl: string;
  seeded: BrowserSeed;
  rounds: number;
  report: BenchReport;
}) {
  const { timer, appUrl, seeded, rounds, report } = options;
  const entityName = MEASURED_ENTITY.split('/')[1];
  const loadTab = (name: string) =>
    timer.load(
      name,
      `${appUrl}${releasesTabPath(MEASURED_ENTITY)}`,
      { shown: releasesTabShown, containerShown: entityPageShown },
      { newestVersion: seeded.newestVersion, entityName },
      TAB_TIMEOUT_MS,
    );
  const loadDeployment = (name: string) =>
    timer.load(
      name,
      `${appUrl}${deploymentPagePath(
        MEASURED_ENTITY,
        seeded.measuredDeployment.id,
      )}`,
      { shown: deploymentDetailShown, containerShown: entityPageShown },
      {
        lastTransitionMessage: seeded.measuredDeployment.lastMessage,
        entityName,
      },
      DEPLOYMENT_TIMEOUT_MS,
    );

  shownOrThrow('the Releases tab', await loadTab('tab-warmup'));
  const deploymentWarmup = await loadDeployment('deployment-warmup');
  const deploymentPageExists = deploymentWarmup.shownAfterMs !== undefined;
  if (!deploymentPageExists && !deploymentWarmup.what.releasesTab) {
    shownOrThrow('the deployment detail', deploymentWarmup);
  }

  const tabLoads: Shown[] = [];
  const deploymentLoads: Shown[] = [];
  for (let round = 1; round <= rounds; round++) {
    tabLoads.push(
      shownOrThrow('the Releases tab', await loadTab(`tab-${round}`)),
    );
    if (deploymentPageExists) {
      deploymentLoads.push(
        shownOrThrow(
          'the deployment detail',
          await loadDeployment(`deployment-${round}`),
        ),
      );
    }
    benchLog(
      `round ${round} of ${rounds}: tab ${Math.round(
        tabLoads[round - 1].shownAfterMs,
      )} ms${
        deploymentPageExists
          ? `, deployment ${Math.round(
              deploymentLoads[round - 1].shownAfterMs,
            )} ms`
          : ''
      }`,
    );
  }

  reportPageLoads(report, 'browser.tab', tabLoads);
  logSlowest('the Releases tab', tabLoads, appUrl);
  if (deploymentPageExists) {
    reportPageLoads(report, 'browser.deployment', deploymentLoads);
    logSlowest('the deployment detail', deploymentLoads, appUrl);
  } else {
    report.notMeasured(
      'browser.deployment.p95',
      `<=${PAGE_TARGET_MS}ms`,
      'no deployment detail page: …/releases/deployments/<id> shows the Releases tab without a section "deployment detail"',
    );
  }
}

function logSlowest(what: string, loads: Shown[], appUrl: string) {
  const slowest = loads.reduce((a, b) =>
    b.shownAfterMs > a.shownAfterMs ? b : a,
  );
  logWaterfall(`${what}, slowest load`, slowest, appUrl);
}
