import { Link } from '@backstage/core-components';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import { useReleaseLinks } from './releaseLinks';

/** The entity's name, linking to the Releases tab of its page. */
export function EntityReleasesLink(props: { entityRef: string }) {
  const links = useReleaseLinks(props.entityRef);
  return (
    <Link to={links.tab}>
      <EntityDisplayName entityRef={props.entityRef} />
    </Link>
  );
}
