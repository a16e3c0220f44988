export {
  ImmutableReleasePicker,
  RELEASE_PICKER_PAGE_SIZE,
} from './ImmutableReleasePicker';
export { ImmutableReleasePickerFieldSchema } from './schema';
export type {
  ImmutableReleasePickerProps,
  ImmutableReleasePickerUiOptions,
} from './schema';
