import { stringifyEntityRef } from '@backstage/catalog-model';
import { ObservedEntity } from './observations';
import {
  checkTemplate,
  fillTemplate,
  unknownPlaceholderMessage,
} from './templateSyntax';

/**
 * A URL template names entity fields between double braces, e.g.
 * `https://{{ entity.metadata.name }}.example.com/{{ environment }}/version`.
 * Supported placeholders:
 *
 * - `{{ environment }}`
 * - `{{ entity.kind }}`
 * - `{{ entity.metadata.name }}`
 * - `{{ entity.metadata.namespace }}` (`default` when the entity has none)
 * - `{{ entity.metadata.annotations['some/annotation'] }}` (or with double quotes)
 * - `{{ entity.metadata.labels['some-label'] }}`
 *
 * Values are URL-encoded (`encodeURIComponent`), so they cannot contain `/`, `?`, `#`, `@`,
 * `:` or a percent-escape; `.` and `..`, which encoding leaves alone, are refused. A value
 * therefore stays inside the part of the URL its placeholder is in.
 */
export const URL_TEMPLATE_PLACEHOLDERS = [
  'environment',
  'entity.kind',
  'entity.metadata.name',
  'entity.metadata.namespace',
  "entity.metadata.annotations['<name>']",
  "entity.metadata.labels['<name>']",
];

/** A template that cannot be rendered: an unknown placeholder, or a value the entity lacks. */
export class UrlTemplateError extends Error {
  name = 'UrlTemplateError';
}

export interface UrlTemplateContext {
  entity: ObservedEntity;
  environment: string;
}

type Placeholder =
  | { kind: 'environment' }
  | { kind: 'entityKind' }
  | { kind: 'name' }
  | { kind: 'namespace' }
  | { kind: 'annotation' | 'label'; key: string };

const MAP_ACCESS =
  /^entity\.metadata\.(annotations|labels)\[\s*(?:'([^']+)'|"([^"]+)")\s*\]$/;

function parsePlaceholder(expression: string, template: string): Placeholder {
  const trimmed = expression.trim();
  switch (trimmed) {
    case 'environment':
      return { kind: 'environment' };
    case 'entity.kind':
      return { kind: 'entityKind' };
    case 'entity.metadata.name':
      return { kind: 'name' };
    case 'entity.metadata.namespace':
      return { kind: 'namespace' };
    default: {
      const map = MAP_ACCESS.exec(trimmed);
      if (map) {
        return {
          kind: map[1] === 'annotations' ? 'annotation' : 'label',
          key: map[2] ?? map[3],
        };
      }
      throw new UrlTemplateError(
        unknownPlaceholderMessage(
          expression,
          `URL template '${template}'`,
          URL_TEMPLATE_PLACEHOLDERS,
        ),
      );
    }
  }
}

/** Throws a `UrlTemplateError` naming the first placeholder that is not supported. */
export function validateUrlTemplate(template: string): void {
  checkTemplate(
    template,
    expression => parsePlaceholder(expression, template),
    () =>
      new UrlTemplateError(
        `URL template '${template}' has an unbalanced '{{' or '}}'`,
      ),
  );
}

/**
 * Fills a URL template from an entity and an environment. Throws a
 * `UrlTemplateError` for an unknown placeholder, or when the entity lacks the
 * annotation or label a placeholder names.
 */
export function renderUrlTemplate(
  template: string,
  context: UrlTemplateContext,
): string {
  validateUrlTemplate(template);
  const rendered = fillTemplate(template, (expression: string) => {
    const placeholder = parsePlaceholder(expression, template);
    const value = valueOf(placeholder, context, expression);
    // Encoding leaves these alone, and a URL parser resolves them as path
    // segments: `/svc/{{ … }}/version` with `..` would become `/version`.
    if (value === '.' || value === '..') {
      throw new UrlTemplateError(
        `${describePlaceholder(
          placeholder,
          context,
        )} is '${value}', which would change the URL's path; the URL template uses it in {{${expression}}}`,
      );
    }
    return encodeURIComponent(value);
  });
  assertKeepsLiteralPrefix(template, rendered);
  return rendered;
}

/**
 * Where the template spells out its origin and the start of its path before
 * the first placeholder, the rendered URL keeps them, whatever the entity
 * says. Refusing `.` and `..` already ensures it; this check stays in case
 * another way to move up a path appears.
 */
export function assertKeepsLiteralPrefix(
  template: string,
  rendered: string,
): void {
  const literal = template.split('{{')[0];
  // The origin is only known when the literal part reaches the first `/` of the path.
  if (!/^[a-z][a-z\d+.-]*:\/\/[^/?#]*\//i.test(literal)) {
    return;
  }
  const expected = new URL(literal);
  const actual = new URL(rendered);
  if (
    actual.origin !== expected.origin ||
    !actual.pathname.startsWith(expected.pathname)
  ) {
    throw new UrlTemplateError(
      `URL template '${template}' rendered ${redactUrl(rendered)}, outside ${
        expected.origin
      }${expected.pathname}`,
    );
  }
}

function describePlaceholder(
  placeholder: Placeholder,
  { entity }: UrlTemplateContext,
): string {
  const ref = entityRefOf(entity);
  switch (placeholder.kind) {
    case 'environment':
      return 'the environment name';
    case 'entityKind':
      return `the kind of entity ${ref}`;
    case 'name':
      return `the name of entity ${ref}`;
    case 'namespace':
      return `the namespace of entity ${ref}`;
    default:
      return `${placeholder.kind} '${placeholder.key}' of entity ${ref}`;
  }
}

function valueOf(
  placeholder: Placeholder,
  { entity, environment }: UrlTemplateContext,
  expression: string,
): string {
  switch (placeholder.kind) {
    case 'environment':
      return environment;
    case 'entityKind':
      return entity.kind;
    case 'name':
      return entity.metadata.name;
    case 'namespace':
      return entity.metadata.namespace ?? 'default';
    default: {
      const map =
        placeholder.kind === 'annotation'
          ? entity.metadata.annotations
          : entity.metadata.labels;
      const value = map?.[placeholder.key];
      if (value === undefined) {
        throw new UrlTemplateError(
          `entity ${entityRefOf(entity)} has no ${placeholder.kind} '${
            placeholder.key
          }', which the URL template uses in {{${expression}}}`,
        );
      }
      return value;
    }
  }
}

/**
 * A URL as it may appear in messages people and the API read: without user
 * name, password or query string, where tokens tend to hide.
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) {
    return url.replace(/\?.*$/, '?…');
  }
  const parsed = new URL(url);
  const hadQuery = parsed.search !== '';
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  return `${parsed.toString()}${hadQuery ? '?…' : ''}`;
}

function entityRefOf(entity: ObservedEntity): string {
  return stringifyEntityRef({
    kind: entity.kind,
    namespace: entity.metadata.namespace,
    name: entity.metadata.name,
  });
}
