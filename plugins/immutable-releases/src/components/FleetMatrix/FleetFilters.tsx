import {
  Box,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  TextField,
  Tooltip,
} from '@material-ui/core';
import {
  DRIFT_STATUSES,
  DriftStatus,
} from 'backstage-plugin-immutable-releases-common';
import { DRIFT_EXPLANATIONS } from '../shared/StatusChips';

/** Which drift statuses and which owner the fleet shows; the owner as typed. */
export function FleetFilters(props: {
  drift: DriftStatus[];
  onDriftChange: (drift: DriftStatus[]) => void;
  owner: string;
  onOwnerChange: (owner: string) => void;
}) {
  const { drift, onDriftChange, owner, onOwnerChange } = props;
  const toggle = (status: DriftStatus, checked: boolean) =>
    onDriftChange(
      // in the canonical order, so the same choice is the same filter
      DRIFT_STATUSES.filter(each =>
        each === status ? checked : drift.includes(each),
      ),
    );
  return (
    <Box display="flex" flexWrap="wrap" alignItems="flex-end" gridGap={24}>
      <FormControl component="fieldset">
        <FormLabel component="legend">
          Drift (an entity with any environment in one of them)
        </FormLabel>
        <FormGroup row>
          {DRIFT_STATUSES.map(status => (
            <Tooltip key={status} title={DRIFT_EXPLANATIONS[status]}>
              <FormControlLabel
                label={status}
                control={
                  <Checkbox
                    checked={drift.includes(status)}
                    onChange={event => toggle(status, event.target.checked)}
                  />
                }
              />
            </Tooltip>
          ))}
        </FormGroup>
      </FormControl>
      <TextField
        id="immutable-releases-fleet-owner"
        label="Owner"
        placeholder="group:default/payments"
        helperText="An entity ref; a bare name is a group."
        value={owner}
        onChange={event => onOwnerChange(event.target.value)}
      />
    </Box>
  );
}
