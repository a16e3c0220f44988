/**
 * Extension points for backend modules of the Immutable Releases plugin, and
 * the helpers they share with it: URL templates and configured durations.
 *
 * @packageDocumentation
 */
export * from './durations';
export * from './executors';
export * from './observations';
export {
  redactUrl,
  renderUrlTemplate,
  URL_TEMPLATE_PLACEHOLDERS,
  UrlTemplateError,
  validateUrlTemplate,
} from './urlTemplate';
export type { UrlTemplateContext } from './urlTemplate';
