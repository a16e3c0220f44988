import { createContext, ReactNode, useContext, useMemo } from 'react';
import { useLocation, useParams } from 'react-router-dom';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';

/** The path of the Releases tab below an entity page (the tab's default path). */
export const RELEASES_TAB_PATH = 'releases';

/** Where the pages of one entity's Releases tab are. */
export interface ReleaseLinks {
  /** The tab itself: pipeline, history and timeline. */
  tab: string;
  deployment(deploymentId: string): string;
  release(releaseId: string): string;
}

const ReleasesTabPathContext = createContext<string | undefined>(undefined);

/**
 * Makes links of the components below point into the tab mounted here, whatever path the
 * app gave it; without it they point to the tab's default path on the entity's page.
 */
export function ReleasesTabPathProvider(props: { children: ReactNode }) {
  // The tab is mounted on a splat route ("releases/*"): its own path is the
  // location without what the splat matched (a deployment's or release's page).
  const { pathname } = useLocation();
  const below = useParams()['*'] ?? '';
  const tabPath =
    below && pathname.endsWith(below)
      ? pathname.slice(0, -below.length)
      : pathname;
  return (
    <ReleasesTabPathContext.Provider value={tabPath.replace(/\/+$/, '')}>
      {props.children}
    </ReleasesTabPathContext.Provider>
  );
}

/** Links to the Releases tab of an entity, its deployments and its releases. */
export function useReleaseLinks(entityRef: string): ReleaseLinks {
  const mountedTab = useContext(ReleasesTabPathContext);
  const entityPageLink = useEntityRefLink();
  const tab = mountedTab ?? `${entityPageLink(entityRef)}/${RELEASES_TAB_PATH}`;
  return useMemo(
    () => ({
      tab,
      deployment: id => `${tab}/deployments/${encodeURIComponent(id)}`,
      release: id => `${tab}/${encodeURIComponent(id)}`,
    }),
    [tab],
  );
}
