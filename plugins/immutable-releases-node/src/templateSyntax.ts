const PLACEHOLDER = /\{\{(.*?)\}\}/g;

/**
 * The expressions between double braces of a template, in order, and
 * whether every `{{` has its `}}`. Templates of every kind (URLs, names,
 * workflow inputs) share this syntax; each decides what an expression means.
 *
 * @public
 */
export function scanTemplate(template: string): {
  expressions: string[];
  balanced: boolean;
} {
  const rest = template.replace(PLACEHOLDER, '');
  return {
    expressions: [...template.matchAll(PLACEHOLDER)].map(match => match[1]),
    balanced: !rest.includes('{{') && !rest.includes('}}'),
  };
}

/**
 * Checks each placeholder's expression with `check` (which throws for one
 * it does not know), then that the braces are balanced, throwing
 * `unbalanced()` when they are not.
 *
 * @public
 */
export function checkTemplate(
  template: string,
  check: (expression: string) => void,
  unbalanced: () => Error,
): void {
  const { expressions, balanced } = scanTemplate(template);
  expressions.forEach(check);
  if (!balanced) {
    throw unbalanced();
  }
}

/**
 * Replaces each placeholder with `valueOf(expression)`.
 *
 * @public
 */
export function fillTemplate(
  template: string,
  valueOf: (expression: string) => string,
): string {
  return template.replace(PLACEHOLDER, (_match, expression: string) =>
    valueOf(expression),
  );
}

/**
 * The message for a placeholder a template kind does not support, listing
 * the ones it does.
 *
 * @public
 */
export function unknownPlaceholderMessage(
  expression: string,
  template: string,
  supported: readonly string[],
): string {
  return `unknown placeholder {{${expression}}} in ${template}; supported: ${supported
    .map(placeholder => `{{ ${placeholder} }}`)
    .join(', ')}`;
}
