import { Box, Typography } from '@material-ui/core';
import { Breadcrumbs, Link } from '@backstage/core-components';
import { useReleaseLinks } from './releaseLinks';

/** The way back to the Releases tab, above a deployment's or a release's page. */
export function BackToReleases(props: { entityRef: string; here: string }) {
  const links = useReleaseLinks(props.entityRef);
  return (
    <Box mb={2}>
      <Breadcrumbs aria-label="breadcrumb">
        <Link to={links.tab}>Releases</Link>
        <Typography>{props.here}</Typography>
      </Breadcrumbs>
    </Box>
  );
}
