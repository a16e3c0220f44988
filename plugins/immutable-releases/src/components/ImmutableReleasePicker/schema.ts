import {
  FieldExtensionComponentProps,
  makeFieldSchema,
} from '@backstage/plugin-scaffolder-react';

/**
 * The `ui:options` of the `ImmutableReleasePicker` field.
 *
 * @public
 */
export interface ImmutableReleasePickerUiOptions {
  /** The form field that holds the entity whose releases are offered; default `entityRef`. */
  entityRefField?: string;
}

/**
 * The props of the `ImmutableReleasePicker` field: its value is a release version.
 *
 * @public
 */
export type ImmutableReleasePickerProps = FieldExtensionComponentProps<
  string,
  ImmutableReleasePickerUiOptions
>;

/**
 * The JSON schema of the field's value and `ui:options`, as the template editor shows them.
 *
 * @public
 */
export const ImmutableReleasePickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      entityRefField: z
        .string()
        .optional()
        .describe(
          'The name of the form field that holds the entity whose releases are offered (default: entityRef)',
        ),
    }),
});
