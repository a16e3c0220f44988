import {
  checkTemplate,
  DeploymentPayload,
  fillTemplate,
  ObservedEntity,
  unknownPlaceholderMessage,
  URL_TEMPLATE_PLACEHOLDERS,
} from 'backstage-plugin-immutable-releases-node';

/**
 * A template names fields of the deployment or its entity between double
 * braces, e.g. `{{ deployment.artifactRef }}` or
 * `acme/{{ entity.metadata.name }}`. Values are inserted as they are: the
 * rendered text goes into a JSON body, not a URL.
 */
export const TEMPLATE_PLACEHOLDERS = [
  'deployment.deploymentId',
  'deployment.kind',
  'deployment.entityRef',
  'deployment.environment',
  'deployment.artifactRef',
  'deployment.release.id',
  'deployment.release.version',
  'deployment.release.artifact.uri',
  'deployment.release.artifact.digest',
  "deployment.release.labels['<name>']",
  // `environment` and the entity's fields, as in URL templates.
  ...URL_TEMPLATE_PLACEHOLDERS,
];

/** What a template is rendered from. */
export interface TemplateContext {
  payload: DeploymentPayload;
  entity: ObservedEntity;
}

/** A template that cannot be rendered: an unknown placeholder, or a value the entity lacks. */
export class TemplateError extends Error {
  name = 'TemplateError';
}

type Lookup = (context: TemplateContext) => string | undefined;

const MAP_ACCESS =
  /^(deployment\.release\.labels|entity\.metadata\.annotations|entity\.metadata\.labels)\[\s*(?:'([^']+)'|"([^"]+)")\s*\]$/;

const FIELDS: Record<string, Lookup> = {
  'deployment.deploymentId': ({ payload }) => payload.deploymentId,
  'deployment.kind': ({ payload }) => payload.kind,
  'deployment.entityRef': ({ payload }) => payload.entityRef,
  'deployment.environment': ({ payload }) => payload.environment,
  'deployment.artifactRef': ({ payload }) => payload.artifactRef,
  'deployment.release.id': ({ payload }) => payload.release.id,
  'deployment.release.version': ({ payload }) => payload.release.version,
  'deployment.release.artifact.uri': ({ payload }) =>
    payload.release.artifact.uri,
  'deployment.release.artifact.digest': ({ payload }) =>
    payload.release.artifact.digest,
  environment: ({ payload }) => payload.environment,
  'entity.kind': ({ entity }) => entity.kind,
  'entity.metadata.name': ({ entity }) => entity.metadata.name,
  'entity.metadata.namespace': ({ entity }) =>
    entity.metadata.namespace ?? 'default',
};

const MAPS: Record<
  string,
  (context: TemplateContext) => Record<string, string> | undefined
> = {
  'deployment.release.labels': ({ payload }) => payload.release.labels,
  'entity.metadata.annotations': ({ entity }) => entity.metadata.annotations,
  'entity.metadata.labels': ({ entity }) => entity.metadata.labels,
};

function lookupOf(expression: string, template: string): Lookup {
  const trimmed = expression.trim();
  const field = FIELDS[trimmed];
  if (field) {
    return field;
  }
  const map = MAP_ACCESS.exec(trimmed);
  if (map) {
    const key = map[2] ?? map[3];
    return context => MAPS[map[1]](context)?.[key];
  }
  throw new TemplateError(
    unknownPlaceholderMessage(
      expression,
      `'${template}'`,
      TEMPLATE_PLACEHOLDERS,
    ),
  );
}

/** Throws a `TemplateError` naming the first placeholder that is not supported. */
export function validateTemplate(template: string): void {
  checkTemplate(
    template,
    expression => lookupOf(expression, template),
    () => new TemplateError(`'${template}' has an unbalanced '{{' or '}}'`),
  );
}

/**
 * Fills a template. Throws a `TemplateError` for an unknown placeholder, or
 * when the entity or release lacks the annotation or label it names.
 */
export function renderTemplate(
  template: string,
  context: TemplateContext,
): string {
  validateTemplate(template);
  return fillTemplate(template, (expression: string) => {
    const value = lookupOf(expression, template)(context);
    if (value === undefined) {
      throw new TemplateError(
        `${context.payload.entityRef} has no value for {{${expression}}} in '${template}'`,
      );
    }
    return value;
  });
}

/** Renders every template of a map, e.g. the workflow's inputs. */
export function renderTemplates(
  templates: Record<string, string>,
  context: TemplateContext,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(templates).map(([key, template]) => [
      key,
      renderTemplate(template, context),
    ]),
  );
}
