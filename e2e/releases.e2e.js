#!/usr/bin/env node
// @ts-check
/*
 * End-to-end test of the demo portal in a real Chromium: a guest signs in,
 * opens a sample service's Releases tab; as a release manager, finds the
 * production promotion waiting for a second approval in the notifications
 * and under Waiting for my approval, sees the unmanaged service in the fleet,
 * approves and watches the tab follow the deployment without a reload, and
 * finds the notification updated; checks the actions registry lists the
 * plugin's actions; promotes a release through the
 * Promote dialog, waits for the deployment to succeed, rolls it back from
 * the rollback card, then promotes it again from the Create page with the
 * "Promote a release" template (release picked with the ImmutableReleasePicker
 * field) and finds the promotion on the Releases tab attributed to the guest.
 * It expects the demo to be running and seeded (see scripts/e2e.sh, which
 * starts it) and saves screenshots along the way.
 *
 *   node e2e/releases.e2e.js
 *
 * Environment:
 *   E2E_APP_URL           the frontend (default http://localhost:3000)
 *   E2E_BACKEND_URL       the backend (default http://localhost:7007)
 *   E2E_CHROMIUM          the browser (default /usr/bin/chromium)
 *   E2E_SCREENSHOT_DIRS   where screenshots go, separated by ':'
 *                         (default e2e/screenshots:plugins/immutable-releases/docs)
 *
 * This is not a jest test and does not run in `yarn test`.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..');
const APP_URL = (process.env.E2E_APP_URL || 'http://localhost:3000').replace(
  /\/+$/,
  '',
);
const BACKEND_URL = (
  process.env.E2E_BACKEND_URL || 'http://localhost:7007'
).replace(/\/+$/, '');
/** The demo's CI token (app-config.demo.yaml), for the calls a pipeline or an agent makes. */
const CI_TOKEN =
  process.env.IMMUTABLE_RELEASES_CI_TOKEN || 'dev-ci-token-change-me';
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOT_DIRS = (
  process.env.E2E_SCREENSHOT_DIRS ||
  'e2e/screenshots:plugins/immutable-releases/docs'
)
  .split(':')
  .filter(Boolean)
  .map(dir => path.resolve(root, dir));
/** Only these shots are documentation; the rest stay in the first directory. */
const DOC_SHOTS = new Set([
  'releases-tab.png',
  'promote-dialog.png',
  'drift-card.png',
  'rollback-dialog.png',
  'release-picker.png',
  'approvals-inbox.png',
  'deployment-waiting.png',
  'deployment-output.png',
  'release-compare.png',
  'fleet-unmanaged.png',
  'template-promote-form.png',
  'template-promote-task.png',
]);

/** The service the test promotes and rolls back, and what the seed left there. */
const SERVICE = {
  name: 'ledger',
  promoted: '2.6.0', // current in development only
  knownGood: '2.5.0', // current in staging
  environment: 'staging',
};
/** Who the guest is in the catalog: deployments and audit events name this ref. */
const GUEST_REF = 'user:default/guest';
/** The scaffolder template that promotes a release as the user who runs it. */
const PROMOTE_TEMPLATE = 'Promote a release';
/** The service with drift, a hold and a promotion waiting for approvals. */
const SHOWCASE = 'checkout';

const TIMEOUT_MS = 60_000;
const DEPLOYMENT_TIMEOUT_MS = 120_000;

let step = 'starting';
function begin(/** @type {string} */ description) {
  step = description;
  process.stdout.write(`- ${description}\n`);
}

async function screenshot(
  /** @type {import('playwright-core').Page | import('playwright-core').Locator} */ target,
  /** @type {string} */ name,
) {
  const [first, ...rest] = SCREENSHOT_DIRS;
  fs.mkdirSync(first, { recursive: true });
  const file = path.join(first, name);
  await target.screenshot({ path: file, animations: 'disabled' });
  if (DOC_SHOTS.has(name)) {
    for (const dir of rest) {
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(file, path.join(dir, name));
    }
  }
  process.stdout.write(`  saved ${path.relative(root, file)}\n`);
}

/**
 * Reloads the page until `condition` holds: the pipeline strip and the
 * rollback card show the state of the moment they load.
 */
async function untilShown(
  /** @type {import('playwright-core').Page} */ page,
  /** @type {string} */ what,
  /** @type {() => Promise<boolean>} */ condition,
  /** @type {number} */ timeoutMs,
) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > giveUpAt) {
      throw new Error(`the page never showed ${what} (${timeoutMs / 1000} s)`);
    }
    await page.waitForTimeout(1000);
    await page.reload({ waitUntil: 'domcontentloaded' });
  }
}

/**
 * Waits, without reloading, until `condition` holds: what the page shows
 * must follow the backend's changes by itself (live updates).
 */
async function untilLive(
  /** @type {import('playwright-core').Page} */ page,
  /** @type {string} */ what,
  /** @type {() => Promise<boolean>} */ condition,
  /** @type {number} */ timeoutMs,
) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > giveUpAt) {
      throw new Error(
        `the page never showed ${what} without a reload (${
          timeoutMs / 1000
        } s)`,
      );
    }
    await page.waitForTimeout(500);
  }
}

/** The column of one environment in the pipeline strip. */
function environmentColumn(
  /** @type {import('playwright-core').Page} */ page,
  /** @type {string} */ environment,
) {
  return page
    .getByRole('list', { name: 'pipeline' })
    .getByRole('listitem', { name: `environment ${environment}` });
}

/** Waits until the Releases tab has loaded its history and permissions. */
async function releasesTabLoaded(
  /** @type {import('playwright-core').Page} */ page,
  /** @type {string} */ version,
) {
  await page
    .getByRole('table', { name: 'release history' })
    .getByRole('cell', { name: version, exact: true })
    .first()
    .waitFor({ timeout: TIMEOUT_MS });
  const promoteButton = page.getByRole('button', { name: 'Promote…' });
  const giveUpAt = Date.now() + TIMEOUT_MS;
  while (!(await promoteButton.isEnabled())) {
    if (Date.now() > giveUpAt) {
      throw new Error('the Promote… button stays disabled for the guest');
    }
    await page.waitForTimeout(200);
  }
}

async function openEntity(
  /** @type {import('playwright-core').Page} */ page,
  /** @type {string} */ name,
  /** @type {'overview' | 'releases'} */ tab,
) {
  await page.goto(
    `${APP_URL}/catalog/default/component/${name}${
      tab === 'releases' ? '/releases' : ''
    }`,
  );
  await page
    .getByRole('heading', { name, exact: true })
    .first()
    .waitFor({ timeout: TIMEOUT_MS });
}

async function run(/** @type {import('playwright-core').Page} */ page) {
  begin('sign in as guest');
  await page.goto(APP_URL);
  await page.getByRole('button', { name: 'Enter' }).click();

  begin('the catalog lists the sample services');
  const catalogLink = page.getByRole('link', { name: SHOWCASE, exact: true });
  await catalogLink.waitFor({ timeout: TIMEOUT_MS });
  await page
    .getByRole('link', { name: SERVICE.name, exact: true })
    .waitFor({ timeout: TIMEOUT_MS });
  await screenshot(page, 'catalog.png');

  begin(`open ${SHOWCASE} and its drift card`);
  await catalogLink.click();
  const driftCard = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Drift', { exact: true }) })
    .first();
  await driftCard.waitFor({ timeout: TIMEOUT_MS });
  await driftCard
    .getByText('unmanaged', { exact: true })
    .first()
    .waitFor({ timeout: TIMEOUT_MS });
  await driftCard.scrollIntoViewIfNeeded();
  await screenshot(driftCard, 'drift-card.png');

  begin(`the Releases tab of ${SHOWCASE} shows the pipeline and the history`);
  // the entity's tab, not the sidebar's Releases item (the portal page)
  await page
    .getByRole('tab', { name: 'Releases', exact: true })
    .or(
      page
        .getByRole('link', { name: 'Releases', exact: true })
        .and(page.locator('[href$="/releases"]')),
    )
    .first()
    .click();
  await page.waitForURL(/\/releases$/);
  for (const environment of ['development', 'staging', 'production']) {
    await environmentColumn(page, environment).waitFor({ timeout: TIMEOUT_MS });
  }
  await environmentColumn(page, 'staging')
    .getByText(/Held since/)
    .waitFor({ timeout: TIMEOUT_MS });
  await environmentColumn(page, 'production')
    .getByText(/Pending \(1\)/)
    .waitFor({ timeout: TIMEOUT_MS });
  const history = page.getByRole('table', { name: 'release history' });
  for (const version of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) {
    await history
      .getByRole('cell', { name: version, exact: true })
      .first()
      .waitFor({ timeout: TIMEOUT_MS });
  }
  await releasesTabLoaded(page, '1.3.0');
  await screenshot(page, 'releases-tab.png');
  await page.screenshot({
    path: path.join(SCREENSHOT_DIRS[0], 'releases-tab-full.png'),
    fullPage: true,
  });

  await theDeploymentPagesTell(page);
  await theReleasePageCompares(page);
  await tellsAndListsTheWaitingPromotion(page);
  await theFleetShowsUnmanaged(page);

  begin(
    `approve the production promotion of ${SHOWCASE} waiting for a second approval`,
  );
  await openEntity(page, SHOWCASE, 'releases');
  const production = environmentColumn(page, 'production');
  await production
    .getByRole('button', { name: 'Approve', exact: true })
    .click();
  const approveDialog = page
    .getByRole('dialog')
    .filter({ hasText: /^Approve / });
  await approveDialog.waitFor({ timeout: TIMEOUT_MS });
  await approveDialog
    .getByRole('textbox', { name: 'Comment' })
    .fill('end-to-end test: second approval');
  await approveDialog
    .getByRole('button', { name: 'Approve', exact: true })
    .click();
  await approveDialog.waitFor({ state: 'detached', timeout: TIMEOUT_MS });
  await untilLive(
    page,
    `1.2.0 approved, deployed and verified in production`,
    async () => {
      const column = environmentColumn(page, 'production');
      await column.waitFor({ timeout: TIMEOUT_MS });
      const text = await column.innerText();
      if (/\b(pending|running|verifying)\b/.test(text)) return false;
      if (/\bfailed\b/.test(text)) {
        throw new Error(`the approved deployment failed: ${text}`);
      }
      return (
        (await column
          .getByRole('heading', { name: '1.2.0', exact: true })
          .count()) > 0 && /\bsucceeded\b/.test(text)
      );
    },
    DEPLOYMENT_TIMEOUT_MS,
  );

  await theApprovalIsTold(page);
  await actionsAreListed();

  begin(
    `promote ${SERVICE.name} ${SERVICE.promoted} to ${SERVICE.environment} through the Promote dialog`,
  );
  await openEntity(page, SERVICE.name, 'releases');
  await environmentColumn(page, 'development')
    .getByRole('heading', { name: SERVICE.promoted, exact: true })
    .waitFor({ timeout: TIMEOUT_MS });
  await environmentColumn(page, 'development')
    .getByRole('button', { name: `Promote to ${SERVICE.environment}` })
    .click();
  // MUI dialogs carry no accessible name: find them by their title.
  const promoteDialog = page
    .getByRole('dialog')
    .filter({ hasText: 'Promote a release' });
  await promoteDialog.waitFor({ timeout: TIMEOUT_MS });
  await promoteDialog
    .getByText(new RegExp(`^${SERVICE.promoted.replace(/\./g, '\\.')} \\(`))
    .waitFor({ timeout: TIMEOUT_MS });
  const gates = promoteDialog.getByRole('list', { name: 'dry-run gates' });
  await gates.waitFor({ timeout: TIMEOUT_MS });
  for (const gate of ['not-revoked', 'upstream', 'required-checks']) {
    await gates
      .getByText(`${gate}: passed`, { exact: true })
      .waitFor({ timeout: TIMEOUT_MS });
  }
  await promoteDialog
    .getByRole('textbox', { name: 'Reason', exact: true })
    .fill('end-to-end test: ship the ledger fix to staging');
  await screenshot(promoteDialog, 'promote-dialog.png');
  const promote = promoteDialog.getByRole('button', {
    name: 'Promote',
    exact: true,
  });
  await promote.click();
  await promoteDialog
    .getByText(
      `Promotion of ${SERVICE.promoted} to ${SERVICE.environment} requested`,
      { exact: false },
    )
    .waitFor({ timeout: TIMEOUT_MS });
  await promoteDialog.getByRole('button', { name: 'Close' }).click();

  begin(`the deployment to ${SERVICE.environment} succeeds`);
  await untilShown(
    page,
    `${SERVICE.promoted} succeeded in ${SERVICE.environment}`,
    async () => {
      const column = environmentColumn(page, SERVICE.environment);
      await column.waitFor({ timeout: TIMEOUT_MS });
      const text = await column.innerText();
      if (/\b(pending|running|verifying)\b/.test(text)) return false;
      if (/\bfailed\b/.test(text)) {
        throw new Error(`the deployment failed: ${text}`);
      }
      return (
        (await column
          .getByRole('heading', { name: SERVICE.promoted, exact: true })
          .count()) > 0 && /\bsucceeded\b/.test(text)
      );
    },
    DEPLOYMENT_TIMEOUT_MS,
  );
  await releasesTabLoaded(page, SERVICE.promoted);
  await screenshot(page, 'after-promotion.png');

  begin(`roll ${SERVICE.environment} back from the rollback card`);
  await openEntity(page, SERVICE.name, 'overview');
  const rollbackRow = page.getByRole('row', {
    name: `rollback ${SERVICE.environment}`,
  });
  await untilShown(
    page,
    `the rollback card offering ${SERVICE.knownGood} in ${SERVICE.environment}`,
    async () => {
      await rollbackRow.waitFor({ timeout: TIMEOUT_MS });
      await rollbackRow
        .getByText(SERVICE.knownGood, { exact: true })
        .waitFor({ timeout: 10_000 });
      return (
        (await rollbackRow
          .getByRole('cell', { name: SERVICE.promoted, exact: true })
          .count()) > 0
      );
    },
    TIMEOUT_MS,
  );
  await rollbackRow.getByRole('button', { name: 'Roll back' }).click();
  const rollbackDialog = page
    .getByRole('dialog')
    .filter({ hasText: `Roll back ${SERVICE.environment}` });
  await rollbackDialog.waitFor({ timeout: TIMEOUT_MS });
  const confirmRollback = rollbackDialog.getByRole('button', {
    name: 'Roll back',
  });
  if (await confirmRollback.isEnabled()) {
    throw new Error('the rollback dialog allows a rollback without a reason');
  }
  await rollbackDialog
    .getByRole('textbox', { name: 'Reason', exact: true })
    .fill('end-to-end test: ledger 2.6.0 misbehaves in staging');
  await rollbackDialog
    .getByText(`Redeploy ${SERVICE.knownGood}`, { exact: false })
    .waitFor({ timeout: TIMEOUT_MS });
  await screenshot(rollbackDialog, 'rollback-dialog.png');
  await confirmRollback.click();
  await rollbackDialog.waitFor({ state: 'detached', timeout: TIMEOUT_MS });

  begin(`the rollback succeeds and ${SERVICE.environment} is held`);
  await openEntity(page, SERVICE.name, 'releases');
  await untilShown(
    page,
    `${SERVICE.knownGood} back in ${SERVICE.environment}, held`,
    async () => {
      const column = environmentColumn(page, SERVICE.environment);
      await column.waitFor({ timeout: TIMEOUT_MS });
      const text = await column.innerText();
      if (/\b(pending|running|verifying)\b/.test(text)) return false;
      if (/\bfailed\b/.test(text)) {
        throw new Error(`the rollback failed: ${text}`);
      }
      return (
        (await column
          .getByRole('heading', { name: SERVICE.knownGood, exact: true })
          .count()) > 0 &&
        /\bsucceeded\b/.test(text) &&
        /Held since/.test(text)
      );
    },
    DEPLOYMENT_TIMEOUT_MS,
  );
  await releasesTabLoaded(page, SERVICE.knownGood);
  await screenshot(page, 'after-rollback.png');

  await promoteWithTemplate(page);
}

/** The production promotion of the showcase that waits for a second approval, as a person sees it. */
const WAITING = {
  subject: `1.2.0 → production of ${SHOWCASE}`,
  waitsTitle: new RegExp(
    `^${SHOWCASE} 1\\.2\\.0 waits for 1 more approval in production$`,
    'i',
  ),
  approvedTitle: new RegExp(
    `^${SHOWCASE} 1\\.2\\.0 was approved for production$`,
    'i',
  ),
};

/**
 * From the Releases tab, the deployment pages answer why production waits and
 * what the last staging deployment printed.
 */
async function theDeploymentPagesTell(
  /** @type {import('playwright-core').Page} */ page,
) {
  begin(`the page of ${WAITING.subject} says why it waits`);
  await environmentColumn(page, 'production')
    .getByRole('link', { name: /^1\.2\.0 \(promotion\)/ })
    .click();
  const waiting = page.getByRole('region', { name: 'deployment detail' });
  await waiting
    .getByRole('heading', { name: 'Promotion of 1.2.0 to production' })
    .waitFor({ timeout: TIMEOUT_MS });
  await waiting
    .getByText('approvals: waiting', { exact: true })
    .waitFor({ timeout: TIMEOUT_MS });
  await waiting
    .getByText(/Waiting: waits for 2 approvals; approved by alice/)
    .waitFor({ timeout: TIMEOUT_MS });
  await waiting
    .getByText('“checked the 1.2.0 changelog”')
    .waitFor({ timeout: TIMEOUT_MS });
  await screenshot(page, 'deployment-waiting.png');

  begin(
    'the last staging deployment, opened from the timeline, shows what it printed',
  );
  await page
    .getByRole('navigation', { name: 'breadcrumb' })
    .getByRole('link', { name: 'Releases', exact: true })
    .click();
  await page.waitForURL(/\/releases$/);
  await page
    .getByRole('list', { name: 'audit timeline' })
    .getByRole('link', { name: /^rolled staging back to 1\.2\.0/ })
    .first()
    .click();
  const staging = page.getByRole('region', { name: 'deployment detail' });
  await staging
    .getByRole('heading', { name: 'Rollback of 1.2.0 to staging' })
    .waitFor({ timeout: TIMEOUT_MS });
  await staging
    .getByLabel('executor output')
    .getByText(/staging now runs component:default\/checkout 1\.2\.0/)
    .waitFor({ timeout: TIMEOUT_MS });
  await staging
    .getByRole('list', { name: 'transitions' })
    .getByText(/^deployed ghcr\.io\/acme\/checkout@sha256:/)
    .waitFor({ timeout: TIMEOUT_MS });
  await staging
    .getByText(/a hold was set on staging/)
    .waitFor({ timeout: TIMEOUT_MS });
  await screenshot(page, 'deployment-output.png');
}

/** The page of the production candidate compares it with what runs there. */
async function theReleasePageCompares(
  /** @type {import('playwright-core').Page} */ page,
) {
  begin('the page of 1.2.0 compares it with what runs in production');
  await openEntity(page, SHOWCASE, 'releases');
  await page
    .getByRole('table', { name: 'release history' })
    .getByRole('link', { name: '1.2.0', exact: true })
    .click();
  const release = page.getByRole('region', { name: 'release detail' });
  await release
    .getByRole('heading', { name: 'Release 1.2.0' })
    .waitFor({ timeout: TIMEOUT_MS });
  const comparison = release.getByRole('region', {
    name: 'comparison with production',
  });
  await comparison.waitFor({ timeout: TIMEOUT_MS });
  const compare = comparison.getByRole('link', { name: /^compare / });
  await compare.waitFor({ timeout: TIMEOUT_MS });
  const href = await compare.getAttribute('href');
  if (
    !/^https:\/\/github\.com\/acme\/checkout\/compare\/[0-9a-f]+\.\.\.[0-9a-f]+$/.test(
      href || '',
    )
  ) {
    throw new Error(`the compare link points to ${href}`);
  }
  await comparison
    .getByRole('table', { name: 'differences' })
    .getByRole('row', { name: /check load-test/ })
    .waitFor({ timeout: TIMEOUT_MS });
  await release
    .getByText('approvals: waiting', { exact: true })
    .waitFor({ timeout: TIMEOUT_MS });
  await screenshot(page, 'release-compare.png');
}

/**
 * The guest, a release manager, is notified of the promotion waiting for a
 * second approval and finds it under Waiting for my approval.
 */
async function tellsAndListsTheWaitingPromotion(
  /** @type {import('playwright-core').Page} */ page,
) {
  begin(`the guest's notifications say ${WAITING.subject} waits`);
  await page.goto(`${APP_URL}/notifications`);
  await page
    .getByText(WAITING.waitsTitle)
    .first()
    .waitFor({ timeout: TIMEOUT_MS });
  await screenshot(page, 'notifications-waiting.png');

  begin(`Waiting for my approval lists ${WAITING.subject} with its gates`);
  await page.goto(`${APP_URL}/immutable-releases`);
  const waiting = page.getByRole('listitem', { name: WAITING.subject });
  await waiting.waitFor({ timeout: TIMEOUT_MS });
  await waiting
    .getByRole('list', { name: `gates of ${WAITING.subject}` })
    .waitFor({ timeout: TIMEOUT_MS });
  await screenshot(page, 'approvals-inbox.png');
}

/** After the approval: the same notification says so, and the inbox no longer lists it. */
async function theApprovalIsTold(
  /** @type {import('playwright-core').Page} */ page,
) {
  begin('the notification now says the promotion was approved');
  await page.goto(`${APP_URL}/notifications`);
  await page
    .getByText(WAITING.approvedTitle)
    .first()
    .waitFor({ timeout: TIMEOUT_MS });
  if ((await page.getByText(WAITING.waitsTitle).count()) > 0) {
    throw new Error(
      'the notifications still say the promotion waits: it was not updated in place',
    );
  }

  begin(`Waiting for my approval no longer lists ${WAITING.subject}`);
  await page.goto(`${APP_URL}/immutable-releases`);
  await page
    .getByText('Nothing waits for your approval')
    .or(page.getByRole('list', { name: 'waiting for my approval' }))
    .first()
    .waitFor({ timeout: TIMEOUT_MS });
  if (
    (await page.getByRole('listitem', { name: WAITING.subject }).count()) > 0
  ) {
    throw new Error(`${WAITING.subject} is still waiting for the guest`);
  }
}

/** The fleet, filtered to unmanaged drift, shows the showcase. */
async function theFleetShowsUnmanaged(
  /** @type {import('playwright-core').Page} */ page,
) {
  begin(
    `the fleet filtered to unmanaged shows ${SHOWCASE}, not ${SERVICE.name}`,
  );
  await page.goto(`${APP_URL}/immutable-releases/fleet`);
  const fleet = page.getByRole('table', { name: 'fleet' });
  await fleet
    .getByRole('row', { name: `component:default/${SERVICE.name}` })
    .waitFor({ timeout: TIMEOUT_MS });
  await page.getByRole('checkbox', { name: 'unmanaged' }).check();
  await untilLive(
    page,
    `only unmanaged entities in the fleet`,
    async () =>
      (await fleet
        .getByRole('row', { name: `component:default/${SHOWCASE}` })
        .count()) === 1 &&
      (await fleet
        .getByRole('row', { name: `component:default/${SERVICE.name}` })
        .count()) === 0,
    TIMEOUT_MS,
  );
  await screenshot(page, 'fleet-unmanaged.png');
}

/** An agent, through the actions registry, finds the plugin's five actions. */
async function actionsAreListed() {
  begin('the actions registry lists the five actions');
  const response = await fetch(
    `${BACKEND_URL}/api/immutable-releases/.backstage/actions/v1/actions`,
    { headers: { authorization: `Bearer ${CI_TOKEN}` } },
  );
  if (!response.ok) {
    throw new Error(`the actions list answered ${response.status}`);
  }
  const { actions } = await response.json();
  const names = actions.map((/** @type {{name: string}} */ a) => a.name).sort();
  const expected = [
    'get-deployment',
    'get-environments',
    'list-releases',
    'request-promotion',
    'request-rollback',
  ];
  if (names.join() !== expected.join()) {
    throw new Error(
      `the actions registry lists ${names.join(', ')}, expected ${expected.join(
        ', ',
      )}`,
    );
  }
}

/**
 * Opens an autocomplete field (typing `text` into it, if given) until `option`
 * shows: the form can re-render while its fields load, closing the popup.
 */
async function openUntilShown(
  /** @type {import('playwright-core').Locator} */ option,
  /** @type {import('playwright-core').Locator} */ field,
  /** @type {string | undefined} */ text = undefined,
) {
  const giveUpAt = Date.now() + TIMEOUT_MS;
  for (;;) {
    await field.click();
    if (text !== undefined) await field.fill(text);
    try {
      await option.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await field.press('Escape');
    }
  }
}

/** The accessible name of the release picker's option for a version. */
function releaseOption(/** @type {string} */ version) {
  return new RegExp(`^${version.replace(/\./g, '\\.')}(\\s|$)`);
}

/**
 * Promotes SERVICE.promoted to SERVICE.environment again, this time from the
 * Create page with the "Promote a release" template, and checks that the
 * Releases tab records the promotion as the guest's.
 */
async function promoteWithTemplate(
  /** @type {import('playwright-core').Page} */ page,
) {
  const reason = `end-to-end test: ${SERVICE.promoted} again, from the Create page`;
  const version = releaseOption(SERVICE.promoted);

  begin(`choose the "${PROMOTE_TEMPLATE}" template on the Create page`);
  await page.goto(`${APP_URL}/create`);
  const templateCard = page.locator('.MuiCard-root').filter({
    has: page.getByRole('heading', { name: PROMOTE_TEMPLATE, exact: true }),
  });
  await templateCard.getByRole('button', { name: 'Choose' }).click();
  const serviceField = page.getByRole('textbox', { name: 'Service' });
  await serviceField.waitFor({ timeout: TIMEOUT_MS });

  begin(
    `fill in the form: ${SERVICE.name}, ${SERVICE.promoted} from the release picker, ${SERVICE.environment}`,
  );
  const serviceOption = page.getByRole('option', {
    name: SERVICE.name,
    exact: true,
  });
  await openUntilShown(serviceOption, serviceField, SERVICE.name);
  await serviceOption.click();
  // The release picker offers the releases of the service chosen above.
  const versionField = page.getByRole('textbox', { name: 'Release version' });
  const releaseOptions = page.getByRole('listbox', { name: 'Release version' });
  await openUntilShown(
    releaseOptions.getByRole('option', {
      name: releaseOption(SERVICE.knownGood),
    }),
    versionField,
  );
  await screenshot(page, 'release-picker.png');
  await releaseOptions.getByRole('option', { name: version }).click();
  if ((await versionField.inputValue()) !== SERVICE.promoted) {
    throw new Error(
      `the release picker holds "${await versionField.inputValue()}", not ${
        SERVICE.promoted
      }`,
    );
  }
  await page.getByRole('button', { name: /^Environment/ }).click();
  await page
    .getByRole('option', { name: SERVICE.environment, exact: true })
    .click();
  await page.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await screenshot(page, 'template-promote-form.png');

  begin('review and create');
  await page.getByRole('button', { name: 'Review' }).click();
  const review = page.getByRole('table');
  for (const [label, value] of [
    ['Service', `component:default/${SERVICE.name}`],
    ['Release version', SERVICE.promoted],
    ['Environment', SERVICE.environment],
  ]) {
    await review
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: label, exact: true }) })
      .getByRole('cell', { name: value, exact: true })
      .waitFor({ timeout: TIMEOUT_MS });
  }
  await page.getByRole('button', { name: 'Create' }).click();

  begin(`the task deploys ${SERVICE.promoted} to ${SERVICE.environment}`);
  await page.waitForURL(/\/create\/tasks\//, { timeout: TIMEOUT_MS });
  const succeeded = page.getByText(
    new RegExp(
      `${SERVICE.promoted.replace(/\./g, '\\.')} to ${
        SERVICE.environment
      }:\\s+succeeded \\(deployment [0-9a-f-]+\\)`,
    ),
  );
  // The task page shows its error in an alert panel when a step fails.
  await succeeded
    .or(page.getByRole('alert'))
    .first()
    .waitFor({ timeout: DEPLOYMENT_TIMEOUT_MS });
  if (!(await succeeded.isVisible())) {
    throw new Error(
      `the task failed: ${await page.getByRole('alert').first().innerText()}`,
    );
  }
  await screenshot(page, 'template-promote-task.png');

  begin(
    `the Releases tab of ${SERVICE.name} shows the promotion, requested by ${GUEST_REF}`,
  );
  await openEntity(page, SERVICE.name, 'releases');
  // The timeline reads as sentences; the guest (GUEST_REF) is named and linked.
  const requestedByGuest = page
    .getByRole('list', { name: 'audit timeline' })
    .getByRole('listitem', { name: 'event deployment.requested' })
    .filter({
      hasText: `guest requested a promotion of ${SERVICE.promoted} to ${SERVICE.environment}: ${reason}`,
    })
    // GUEST_REF's catalog page
    .filter({ has: page.locator('a[href$="/catalog/default/user/guest"]') })
    .first();
  await untilShown(
    page,
    `${SERVICE.promoted} in ${SERVICE.environment} again, requested by ${GUEST_REF}`,
    async () => {
      const column = environmentColumn(page, SERVICE.environment);
      await column.waitFor({ timeout: TIMEOUT_MS });
      const text = await column.innerText();
      return (
        (await column
          .getByRole('heading', { name: SERVICE.promoted, exact: true })
          .count()) > 0 &&
        /\bsucceeded\b/.test(text) &&
        (await requestedByGuest.count()) > 0
      );
    },
    TIMEOUT_MS,
  );
  await requestedByGuest.scrollIntoViewIfNeeded();
  await screenshot(page, 'after-template-promotion.png');
}

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1440, height: 1000 },
  });
  page.setDefaultTimeout(TIMEOUT_MS);
  const pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
  try {
    await run(page);
    process.stdout.write('e2e passed\n');
  } catch (error) {
    const failureShot = path.join(SCREENSHOT_DIRS[0], 'failure.png');
    fs.mkdirSync(SCREENSHOT_DIRS[0], { recursive: true });
    await page
      .screenshot({ path: failureShot, fullPage: true })
      .catch(() => undefined);
    process.stderr.write(
      `e2e FAILED at "${step}": ${
        error instanceof Error ? error.message : String(error)
      }\n  page: ${page.url()}\n  screenshot: ${path.relative(
        root,
        failureShot,
      )}\n`,
    );
    if (pageErrors.length > 0) {
      process.stderr.write(
        `  page errors:\n    ${pageErrors.join('\n    ')}\n`,
      );
    }
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  process.stderr.write(`e2e FAILED: ${error.stack ?? error}\n`);
  process.exit(1);
});
