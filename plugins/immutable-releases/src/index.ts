/**
 * Entity page tab and cards for Immutable Releases: pipeline, release history, drift,
 * rollback, promotion and delivery (DORA) metrics; and a portal page with what waits for
 * the user's approval and the fleet.
 *
 * @packageDocumentation
 */
export {
  immutableReleasesPlugin,
  ImmutableReleasesPage,
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
