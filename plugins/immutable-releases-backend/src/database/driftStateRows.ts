import { DriftStatus } from 'backstage-plugin-immutable-releases-common';
import { DriftState } from './ObservationStore';

/** A row of `drift_states`. */
export interface DriftStateRow {
  entity_ref: string;
  environment: string;
  observed_digest: string | null;
  observed_at: string | null;
  observed_source: string | null;
  observed_details: string | null;
  status: string;
  status_changed_at: string | null;
  error_message: string | null;
  error_at: string | null;
  error_source: string | null;
}

/** The columns of `DriftStateRow`, for reads that name them. */
export const DRIFT_STATE_COLUMNS: Array<keyof DriftStateRow> = [
  'entity_ref',
  'environment',
  'observed_digest',
  'observed_at',
  'observed_source',
  'observed_details',
  'status',
  'status_changed_at',
  'error_message',
  'error_at',
  'error_source',
];

export function toDriftState(row: DriftStateRow): DriftState {
  return {
    entityRef: row.entity_ref,
    environment: row.environment,
    observedDigest: row.observed_digest,
    observedAt: row.observed_at,
    observedSource: row.observed_source,
    observedDetails:
      row.observed_details === null ? null : JSON.parse(row.observed_details),
    status: row.status as DriftStatus,
    statusChangedAt: row.status_changed_at,
    error:
      row.error_message !== null && row.error_at !== null
        ? {
            message: row.error_message,
            at: row.error_at,
            source: row.error_source ?? 'unknown',
          }
        : null,
  };
}
