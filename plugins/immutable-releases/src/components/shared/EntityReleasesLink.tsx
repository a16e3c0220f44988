import { Link } from '@backstage/core-components';
import {
  EntityDisplayName,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';

/** The path of the Releases tab below an entity page (the tab's default path). */
const RELEASES_TAB_PATH = 'releases';

/** The entity's name, linking to the Releases tab of its page. */
export function EntityReleasesLink(props: { entityRef: string }) {
  const entityPageLink = useEntityRefLink();
  return (
    <Link to={`${entityPageLink(props.entityRef)}/${RELEASES_TAB_PATH}`}>
      <EntityDisplayName entityRef={props.entityRef} />
    </Link>
  );
}
