import { useMemo, useState } from 'react';
import { Box } from '@material-ui/core';
import useDebounce from 'react-use/esm/useDebounce';
import {
  DriftStatus,
  FleetFilter,
} from 'backstage-plugin-immutable-releases-common';
import { FleetFilters } from './FleetFilters';
import { FleetTable } from './FleetTable';

/** How long typing in the owner field pauses before the fleet is asked again. */
export const OWNER_TYPING_PAUSE_MS = 400;

/**
 * Every entity with releases against the environments of its pipeline: current version, drift,
 * hold and pending deployments, filtered by drift status and owner, a page at a time.
 */
export function FleetMatrix() {
  const [drift, setDrift] = useState<DriftStatus[]>([]);
  const [ownerTyped, setOwnerTyped] = useState('');
  const [owner, setOwner] = useState('');
  useDebounce(() => setOwner(ownerTyped.trim()), OWNER_TYPING_PAUSE_MS, [
    ownerTyped,
  ]);
  const filter = useMemo<FleetFilter>(
    () => ({
      drift: drift.length ? drift : undefined,
      owner: owner || undefined,
    }),
    [drift, owner],
  );

  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <FleetFilters
        drift={drift}
        onDriftChange={setDrift}
        owner={ownerTyped}
        onOwnerChange={setOwnerTyped}
      />
      <FleetTable
        // a new filter starts again at the first page
        key={`${drift.join(',')} ${owner}`}
        filter={filter}
        filtered={Boolean(filter.drift || filter.owner)}
      />
    </Box>
  );
}
