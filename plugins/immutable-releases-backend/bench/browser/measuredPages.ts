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
