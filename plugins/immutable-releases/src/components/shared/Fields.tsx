import { ReactNode } from 'react';
import { Box } from '@material-ui/core';

/** Named values, one per line: a description list. */
export function Fields(props: { label: string; children: ReactNode }) {
  return (
    <Box component="dl" m={0} aria-label={props.label}>
      {props.children}
    </Box>
  );
}

export function Field(props: { name: string; children: ReactNode }) {
  return (
    <Box display="flex" gridGap={16} mb={1}>
      <Box component="dt" minWidth="8em" fontWeight="fontWeightBold">
        {props.name}
      </Box>
      <Box
        component="dd"
        m={0}
        minWidth={0}
        style={{ overflowWrap: 'anywhere' }}
      >
        {props.children}
      </Box>
    </Box>
  );
}
