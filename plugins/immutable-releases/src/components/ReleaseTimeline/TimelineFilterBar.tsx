import {
  Box,
  Button,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
} from '@material-ui/core';
import {
  EVENT_TYPE_GROUPS,
  EventTypeGroupId,
  hasFilters,
  NO_FILTERS,
  TimelineFilters,
} from './timelineFilters';

/** The timeline's filters: environment, kind of event, actor (as typed). */
export function TimelineFilterBar(props: {
  filters: TimelineFilters;
  environments: string[];
  onChange: (filters: TimelineFilters) => void;
}) {
  const { filters, environments, onChange } = props;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-end"
      gridGap={16}
      mb={1}
    >
      <FormControl style={{ minWidth: 180 }}>
        <InputLabel shrink id="immutable-releases-timeline-environment">
          Environment
        </InputLabel>
        <Select
          labelId="immutable-releases-timeline-environment"
          value={filters.environment}
          displayEmpty
          onChange={event =>
            onChange({ ...filters, environment: String(event.target.value) })
          }
        >
          <MenuItem value="">All environments</MenuItem>
          {environments.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl style={{ minWidth: 220 }}>
        <InputLabel shrink id="immutable-releases-timeline-type">
          Events
        </InputLabel>
        <Select
          labelId="immutable-releases-timeline-type"
          value={filters.group}
          displayEmpty
          onChange={event =>
            onChange({
              ...filters,
              group: event.target.value as EventTypeGroupId | '',
            })
          }
        >
          <MenuItem value="">All events</MenuItem>
          {EVENT_TYPE_GROUPS.map(group => (
            <MenuItem key={group.id} value={group.id}>
              {group.label}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <TextField
        id="immutable-releases-timeline-actor"
        label="Actor"
        placeholder="alice"
        helperText="A user name, or a ref such as external:ci"
        value={filters.actor}
        onChange={event => onChange({ ...filters, actor: event.target.value })}
      />
      {hasFilters(filters) && (
        <Button size="small" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </Button>
      )}
    </Box>
  );
}
