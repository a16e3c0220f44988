/**
 * Extension points for backend modules of the Immutable Releases plugin, and
 * the helpers they share with it: URL templates, configured durations and
 * strings, and image references.
 *
 * @packageDocumentation
 */
export * from './BearerJsonClient';
export * from './configReaders';
export * from './durations';
export * from './executors';
export * from './imageReference';
export * from './observations';
export * from './templateSyntax';
export {
  redactUrl,
  renderUrlTemplate,
  URL_TEMPLATE_PLACEHOLDERS,
  UrlTemplateError,
  validateUrlTemplate,
} from './urlTemplate';
export type { UrlTemplateContext } from './urlTemplate';
