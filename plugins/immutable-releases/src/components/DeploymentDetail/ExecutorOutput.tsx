import { Box, makeStyles, Typography } from '@material-ui/core';
import { Link } from '@backstage/core-components';
import { DeploymentExecutorResult } from 'backstage-plugin-immutable-releases-common';

const useStyles = makeStyles(theme => ({
  output: {
    margin: 0,
    marginTop: theme.spacing(1),
    padding: theme.spacing(1),
    maxHeight: '24em',
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
}));

/** Which executor ran the deployment, its link, and the tail of what it printed. */
export function ExecutorOutput(props: {
  executor: DeploymentExecutorResult | null;
}) {
  const classes = useStyles();
  const { executor } = props;
  if (!executor) {
    return (
      <Typography color="textSecondary">
        No executor has run this deployment yet.
      </Typography>
    );
  }
  return (
    <Box>
      <Typography variant="body2">
        <strong>{executor.name}</strong> ({executor.type})
        {executor.url && (
          <>
            {' · '}
            <Link to={executor.url}>open in {executor.type}</Link>
          </>
        )}
      </Typography>
      {executor.output ? (
        <pre className={classes.output} aria-label="executor output">
          {executor.output}
        </pre>
      ) : (
        <Typography variant="body2" color="textSecondary">
          The executor printed nothing.
        </Typography>
      )}
    </Box>
  );
}
