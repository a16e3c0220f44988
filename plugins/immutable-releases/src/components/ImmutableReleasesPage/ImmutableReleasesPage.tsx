import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { ApprovalInbox } from '../ApprovalInbox';
import { FleetMatrix } from '../FleetMatrix';
import { PORTAL_TAB_TITLES } from './tabTitles';

/**
 * The portal page for the legacy frontend system: deployments waiting for the user's
 * approval, and the fleet of entities against their environments, as two tabs.
 *
 * @public
 */
export function ImmutableReleasesPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Releases"
        subtitle="What waits for your approval, and what runs where"
      />
      <TabbedLayout>
        <TabbedLayout.Route
          path="/approvals"
          title={PORTAL_TAB_TITLES.approvals}
        >
          <ApprovalInbox />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/fleet" title={PORTAL_TAB_TITLES.fleet}>
          <FleetMatrix />
        </TabbedLayout.Route>
      </TabbedLayout>
    </Page>
  );
}
