import { ReactNode } from 'react';
import { Box, makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles({
  // A long version must not widen the page.
  title: { overflowWrap: 'anywhere' },
});

/** The title of a page below the Releases tab, with its status chips beside it. */
export function PageHeading(props: { title: string; children?: ReactNode }) {
  const classes = useStyles();
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8} mb={2}>
      <Typography variant="h4" component="h2" className={classes.title}>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}
