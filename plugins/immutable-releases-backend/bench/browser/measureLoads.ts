import { BenchReport, benchLog } from '@internal/test-utils';
import { BrowserSeed, MEASURED_ENTITY } from './browserSeed';
import {
  deploymentDetailShown,
  deploymentPagePath,
  entityPagePath,
  entityPageShown,
  releasesTabPath,
  releasesTabShown,
} from './measuredPages';
import {
  logWaterfall,
  PAGE_TARGET_MS,
  reportInAppMoves,
  reportPageLoads,
} from './pageLoadReport';
import { InAppLoad, PageLoad, PageTimer } from './pageTimings';

/** Longer than any page that exists could take: then it is broken or missing. */
const TAB_TIMEOUT_MS = 60_000;
const DEPLOYMENT_TIMEOUT_MS = 30_000;

type Shown = Extract<PageLoad, { shownAfterMs: number }>;

function shownOrThrow<L extends PageLoad | InAppLoad>(
  what: string,
  load: L,
): Extract<L, { shownAfterMs: number }> {
  if (load.shownAfterMs === undefined) {
    throw new Error(
      `${what} was not shown within the timeout; the page showed "${load.what.text}" (screenshot ${load.screenshot})`,
    );
  }
  return load as Extract<L, { shownAfterMs: number }>;
}

/**
 * One warm-up load of each page, then `rounds` rounds over the Releases tab
 * (pipeline and first history page) and the newest production deployment's
 * page, each seen three ways: a first visit (empty HTTP cache), a repeat
 * visit (the app's files cached) and a move within the app (a click from the
 * entity's overview to the tab, from the tab to the deployment). Reports
 * p50, p95 and the targets on repeat visits; the deployment page as not
 * measured where the app has no such page.
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
  const tabArg = { newestVersion: seeded.newestVersion, entityName };
  const deploymentPath = deploymentPagePath(
    MEASURED_ENTITY,
    seeded.measuredDeployment.id,
  );
  const deploymentArg = {
    lastTransitionMessage: seeded.measuredDeployment.lastMessage,
    entityName,
  };
  const loadTab = (name: string, visit: 'first' | 'repeat' = 'first') =>
    timer.load(
      name,
      `${appUrl}${releasesTabPath(MEASURED_ENTITY)}`,
      { shown: releasesTabShown, containerShown: entityPageShown },
      tabArg,
      TAB_TIMEOUT_MS,
      visit,
    );
  const loadDeployment = (name: string, visit: 'first' | 'repeat' = 'first') =>
    timer.load(
      name,
      `${appUrl}${deploymentPath}`,
      { shown: deploymentDetailShown, containerShown: entityPageShown },
      deploymentArg,
      DEPLOYMENT_TIMEOUT_MS,
      visit,
    );
  // In the app: from the entity's overview to its Releases tab, and from the
  // tab to a deployment's page, as a click on the tab or a link moves.
  const openTab = (name: string) =>
    timer.navigateWithin(
      name,
      {
        url: `${appUrl}${entityPagePath(MEASURED_ENTITY)}`,
        shown: entityPageShown,
        arg: tabArg,
      },
      releasesTabPath(MEASURED_ENTITY),
      releasesTabShown,
      tabArg,
      TAB_TIMEOUT_MS,
    );
  const openDeployment = (name: string) =>
    timer.navigateWithin(
      name,
      {
        url: `${appUrl}${releasesTabPath(MEASURED_ENTITY)}`,
        shown: releasesTabShown,
        arg: tabArg,
      },
      deploymentPath,
      deploymentDetailShown,
      deploymentArg,
      DEPLOYMENT_TIMEOUT_MS,
    );

  shownOrThrow('the Releases tab', await loadTab('tab-warmup'));
  const deploymentWarmup = await loadDeployment('deployment-warmup');
  const deploymentPageExists = deploymentWarmup.shownAfterMs !== undefined;
  if (!deploymentPageExists && !deploymentWarmup.what.releasesTab) {
    shownOrThrow('the deployment detail', deploymentWarmup);
  }

  const tabLoads: Shown[] = [];
  const tabRepeats: Shown[] = [];
  const tabOpenings: number[] = [];
  const deploymentLoads: Shown[] = [];
  const deploymentRepeats: Shown[] = [];
  const deploymentOpenings: number[] = [];
  const ms = (value: number | undefined) => `${Math.round(value ?? NaN)} ms`;
  for (let round = 1; round <= rounds; round++) {
    tabLoads.push(
      shownOrThrow('the Releases tab', await loadTab(`tab-${round}`)),
    );
    tabRepeats.push(
      shownOrThrow(
        'the Releases tab',
        await loadTab(`tab-repeat-${round}`, 'repeat'),
      ),
    );
    tabOpenings.push(
      shownOrThrow('the Releases tab', await openTab(`tab-open-${round}`))
        .shownAfterMs,
    );
    if (deploymentPageExists) {
      deploymentLoads.push(
        shownOrThrow(
          'the deployment detail',
          await loadDeployment(`deployment-${round}`),
        ),
      );
      deploymentRepeats.push(
        shownOrThrow(
          'the deployment detail',
          await loadDeployment(`deployment-repeat-${round}`, 'repeat'),
        ),
      );
      deploymentOpenings.push(
        shownOrThrow(
          'the deployment detail',
          await openDeployment(`deployment-open-${round}`),
        ).shownAfterMs,
      );
    }
    benchLog(
      `round ${round} of ${rounds}: tab ${ms(
        tabLoads[round - 1].shownAfterMs,
      )} first visit, ${ms(tabRepeats[round - 1].shownAfterMs)} repeat, ${ms(
        tabOpenings[round - 1],
      )} opened in the app${
        deploymentPageExists
          ? `; deployment ${ms(
              deploymentLoads[round - 1].shownAfterMs,
            )} first visit, ${ms(
              deploymentRepeats[round - 1].shownAfterMs,
            )} repeat, ${ms(deploymentOpenings[round - 1])} opened in the app`
          : ''
      }`,
    );
  }

  // The targets are on repeat visits: a first visit is mostly the app's
  // bundle arriving in an empty cache, before any of the plugin's code runs.
  reportPageLoads(report, 'browser.tab', tabLoads, { target: false });
  reportPageLoads(report, 'browser.tab.repeat', tabRepeats, { target: true });
  reportInAppMoves(report, 'browser.tab.inApp', tabOpenings);
  logSlowest('the Releases tab', tabLoads, appUrl);
  if (deploymentPageExists) {
    reportPageLoads(report, 'browser.deployment', deploymentLoads, {
      target: false,
    });
    reportPageLoads(report, 'browser.deployment.repeat', deploymentRepeats, {
      target: true,
    });
    reportInAppMoves(report, 'browser.deployment.inApp', deploymentOpenings);
    logSlowest('the deployment detail', deploymentLoads, appUrl);
  } else {
    report.notMeasured(
      'browser.deployment.repeat.p95',
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
