/**
 * Entity page tab and cards for Immutable Releases: pipeline, release history, drift,
 * rollback, promotion and delivery (DORA) metrics.
 *
 * @packageDocumentation
 */
export {
  immutableReleasesPlugin,
  EntityImmutableReleasesContent,
  EntityReleaseDriftCard,
  EntityReleaseRollbackCard,
  EntityDeliveryMetricsCard,
  ImmutableReleasePickerFieldExtension,
} from './plugin';
export type { ImmutableReleasePickerUiOptions } from './components/ImmutableReleasePicker';
export { isImmutableReleasesAvailable } from './isImmutableReleasesAvailable';
export {
  immutableReleasesApiRef,
  gatesOfPromotionError,
  ImmutableReleasesClient,
} from './api';
export type {
  ImmutableReleasesApi,
  DryRunResult,
  FleetFilter,
  PageOptions,
} from './api';
