import { Tooltip, Typography, TypographyProps } from '@material-ui/core';
import { formatRelativeTime } from './format';

/** "5 minutes ago", with the exact time on hover. */
export function Timestamp(props: {
  at: string;
  variant?: TypographyProps['variant'];
}) {
  return (
    <Tooltip title={new Date(props.at).toLocaleString()}>
      <Typography
        component="span"
        variant={props.variant ?? 'body2'}
        color="textSecondary"
      >
        {formatRelativeTime(props.at)}
      </Typography>
    </Tooltip>
  );
}
