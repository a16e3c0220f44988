import { ShownCondition } from './pageTimings';

/** The entity page's path in the app: `/catalog/<namespace>/<kind>/<name>`. */
export function entityPagePath(entityRef: string): string {
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}`;
}

export function releasesTabPath(entityRef: string): string {
  return `${entityPagePath(entityRef)}/releases`;
}

export function deploymentPagePath(
  entityRef: string,
  deploymentId: string,
): string {
  return `${releasesTabPath(entityRef)}/deployments/${encodeURIComponent(
    deploymentId,
  )}`;
}

/**
 * The entity page around what is measured: its header with the entity's
 * name (an h2 below the page's h1) and its tabs. The app gets this far without the plugin's code (the
 * catalog's entity page); what is measured comes after.
 */
export const entityPageShown: ShownCondition<{ entityName: string }> = ({
  entityName,
}) => {
  const heading = Array.from(document.querySelectorAll('h1, h2')).find(
    element => element.textContent?.trim() === entityName,
  );
  const releasesTab = Array.from(
    document.querySelectorAll('[role="tab"], a[href$="/releases"]'),
  ).find(element => element.textContent?.trim() === 'Releases');
  return heading &&
    releasesTab &&
    heading.getClientRects().length > 0 &&
    releasesTab.getClientRects().length > 0
    ? performance.now()
    : false;
};

/**
 * The Releases tab is usable: the pipeline strip with its environment
 * columns (PipelineStrip renders only once the environments answer is in)
 * and the release history whose first row is the newest release.
 */
export const releasesTabShown: ShownCondition<{ newestVersion: string }> = ({
  newestVersion,
}) => {
  const pipeline = document.querySelector(
    '[role="list"][aria-label="pipeline"]',
  );
  const firstCell = document.querySelector(
    'table[aria-label="release history"] tbody tr td',
  );
  if (
    !pipeline?.querySelector('[role="listitem"]') ||
    firstCell?.textContent?.trim() !== newestVersion
  ) {
    return false;
  }
  // Layout is asked for only once the content is there: forcing it on every
  // frame would slow down the very page being measured.
  return pipeline.getClientRects().length > 0 &&
    firstCell.getClientRects().length > 0
    ? performance.now()
    : false;
};

/**
 * A deployment's page is usable: the section the deployment detail renders
 * once the deployment is loaded, with its transitions down to the last one.
 */
export const deploymentDetailShown: ShownCondition<{
  lastTransitionMessage: string;
}> = ({ lastTransitionMessage }) => {
  const section = document.querySelector(
    'section[aria-label="deployment detail"]',
  );
  return section !== null &&
    (section.textContent ?? '').includes(lastTransitionMessage) &&
    section.getClientRects().length > 0
    ? performance.now()
    : false;
};
