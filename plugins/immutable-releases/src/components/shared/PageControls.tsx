import { Box, Button, Typography } from '@material-ui/core';

/** Previous / Next over cursor pages, e.g. those of `useCursorPagination`. */
export function PageControls(props: {
  pages: {
    pageIndex: number;
    hasPrevious: boolean;
    hasNext: boolean;
    previous: () => void;
    next: () => void;
  };
  label: string;
}) {
  const { pages, label } = props;
  return (
    <Box
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      mt={1}
      gridGap={8}
      aria-label={label}
    >
      <Typography variant="body2">Page {pages.pageIndex + 1}</Typography>
      <Button
        size="small"
        disabled={!pages.hasPrevious}
        onClick={pages.previous}
      >
        Previous
      </Button>
      <Button size="small" disabled={!pages.hasNext} onClick={pages.next}>
        Next
      </Button>
    </Box>
  );
}
