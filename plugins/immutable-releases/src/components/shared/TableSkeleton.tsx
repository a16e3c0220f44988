import { Box } from '@material-ui/core';
import { Skeleton } from '@material-ui/lab';

/** Grey rows where a table's first page will be, while it loads. */
export function TableSkeleton(props: {
  label: string;
  columns: number;
  rows?: number;
}) {
  const rows = props.rows ?? 5;
  return (
    <Box role="progressbar" aria-label={props.label}>
      {Array.from({ length: rows }, (_, row) => (
        <Box key={row} display="flex" gridGap={16} py={1}>
          {Array.from({ length: props.columns }, (__, column) => (
            <Box key={column} flex={column === 0 ? 2 : 1}>
              <Skeleton variant="text" />
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}
