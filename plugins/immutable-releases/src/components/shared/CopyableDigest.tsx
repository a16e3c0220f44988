import { useEffect, useState } from 'react';
import { IconButton, makeStyles, Tooltip } from '@material-ui/core';
import FileCopyOutlinedIcon from '@material-ui/icons/FileCopyOutlined';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';
import { shortDigest } from 'backstage-plugin-immutable-releases-common';

const useStyles = makeStyles(theme => ({
  root: { whiteSpace: 'nowrap', fontFamily: 'monospace' },
  // A whole digest (71 characters) breaks anywhere rather than widen its card.
  full: { fontFamily: 'monospace', wordBreak: 'break-all' },
  button: {
    padding: 2,
    marginLeft: theme.spacing(0.5),
    fontSize: '0.9rem',
    verticalAlign: 'baseline',
    color: theme.palette.text.secondary,
  },
}));

/** A digest cut short (whole on hover), with a small button that copies it whole. */
export function CopyableDigest(props: {
  digest: string;
  /** Names what the digest is of, for the button's label, e.g. "1.4.0". */
  of: string;
  /** Show it whole instead of cut short. */
  full?: boolean;
}) {
  const { digest, of, full } = props;
  const classes = useStyles();
  const [, copy] = useCopyToClipboard();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) {
      return undefined;
    }
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <span className={full ? classes.full : classes.root}>
      <Tooltip title={digest}>
        <span>{full ? digest : shortDigest(digest)}</span>
      </Tooltip>
      <Tooltip title={copied ? 'Copied' : 'Copy digest'}>
        <IconButton
          className={classes.button}
          aria-label={`copy digest of ${of}`}
          onClick={() => {
            copy(digest);
            setCopied(true);
          }}
        >
          <FileCopyOutlinedIcon fontSize="inherit" />
        </IconButton>
      </Tooltip>
    </span>
  );
}
