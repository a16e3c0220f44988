import { spec } from '../schema/openapi.generated';
import { requestString, Zod } from './openApiSchemas';

// The inputs more than one action takes, with the limits of the REST API's requests.

const { PromotionRequest, RegisterReleaseRequest } = spec.components.schemas;

export function entityRefInput(z: Zod) {
  return requestString(z, PromotionRequest.properties.entityRef).describe(
    'The catalog entity, as an entity ref kind:namespace/name, e.g. component:default/checkout',
  );
}

/** `what`: the environment's part in the action, e.g. "The environment to roll back". */
export function environmentInput(z: Zod, what: string) {
  return requestString(z, PromotionRequest.properties.environment).describe(
    `${what}, by name; immutable-releases:get-environments lists the entity's environments in pipeline order`,
  );
}

export function releaseIdInput(z: Zod) {
  return requestString(z, PromotionRequest.properties.releaseId);
}

export function versionInput(z: Zod) {
  return requestString(z, RegisterReleaseRequest.properties.version);
}
