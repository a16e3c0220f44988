import { InputError } from '@backstage/errors';
import {
  ObservedEntity,
  renderUrlTemplate,
} from 'backstage-plugin-immutable-releases-node';

/** Argo CD Applications are Kubernetes resources: their names are DNS subdomains. */
const APPLICATION_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const MAX_NAME_LENGTH = 253;

/**
 * The Application an entity's environment is, from the configured template
 * (`{{ entity.metadata.name }}-{{ environment }}`). Throws an `InputError`
 * when the entity lacks a value the template uses or the result cannot be
 * an Application name.
 */
export function applicationNameOf(
  template: string,
  entity: ObservedEntity,
  environment: string,
): string {
  let name: string;
  try {
    name = renderUrlTemplate(template, { entity, environment });
  } catch (error) {
    throw new InputError(
      'the Argo CD application cannot be named from the entity',
      error,
    );
  }
  if (name.length > MAX_NAME_LENGTH || !APPLICATION_NAME.test(name)) {
    throw new InputError(
      `the application template '${template}' gives ${JSON.stringify(
        name,
      )}, which is not an Argo CD application name (lower-case letters, digits, '-' and '.')`,
    );
  }
  return name;
}
