import { makeStyles } from '@material-ui/core';

/** The look of the pipeline strip's environment columns and pending deployments. */
export const usePipelineStripStyles = makeStyles(theme => ({
  column: { height: '100%' },
  digest: { fontFamily: 'monospace' },
  pending: {
    marginTop: theme.spacing(1),
    padding: theme.spacing(1),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  actions: { display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap' },
}));
