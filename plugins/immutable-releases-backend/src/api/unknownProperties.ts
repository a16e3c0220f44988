/**
 * The OpenAPI validator reports `additionalProperties: false` as "request/body
 * must NOT have additional properties", which does not say which property.
 * `additionalProperties: { not: {} }` allows exactly the same documents, and
 * fails at the property itself: "request/body/colour must NOT be valid".
 * Validation uses the document with that substitution, and
 * `nameUnknownProperties` rewrites its message for people.
 */
export function withNamedUnknownProperties<T>(document: T): T {
  return JSON.parse(JSON.stringify(document), (key, value) =>
    key === 'additionalProperties' && value === false ? { not: {} } : value,
  );
}

const UNKNOWN_PROPERTY = / must NOT be valid(?=,|$)/g;

/** The validator's message with each unknown property named as such. */
export function nameUnknownProperties(message: string): string {
  return message.replace(UNKNOWN_PROPERTY, ' is not a known property');
}
