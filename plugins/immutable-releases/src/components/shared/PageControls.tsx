import { Box, Button, Typography } from '@material-ui/core';

/** Previous / Next over cursor pages. */
export function PageControls(props: {
  pageIndex: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label: string;
}) {
  return (
    <Box
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      mt={1}
      gridGap={8}
      aria-label={props.label}
    >
      <Typography variant="body2">Page {props.pageIndex + 1}</Typography>
      <Button
        size="small"
        disabled={!props.hasPrevious}
        onClick={props.onPrevious}
      >
        Previous
      </Button>
      <Button size="small" disabled={!props.hasNext} onClick={props.onNext}>
        Next
      </Button>
    </Box>
  );
}
