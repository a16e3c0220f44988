import { InputError } from '@backstage/errors';
import { Application, ApplicationSource, HelmParameter } from './argoCdTypes';
import {
  imageRepository,
  isImageOf,
} from 'backstage-plugin-immutable-releases-node';

/** What the executor changes in an Application, and how it says so. */
export interface ImageOverride {
  /** A JSON merge patch of the Application. */
  patch: { spec: { source: Partial<ApplicationSource> } };
  /** `kustomize image a=a@sha256:…` or `helm parameter image=a@sha256:…`. */
  description: string;
}

/**
 * The patch that makes `application` deploy `artifactRef` (`uri@digest`):
 * with `helmImageParameter`, that Helm parameter; otherwise the Kustomize
 * image override of `uri`. A merge patch replaces lists whole, so the patch
 * carries every other image or parameter unchanged.
 */
export function imageOverride(
  application: Application,
  options: { uri: string; artifactRef: string; helmImageParameter?: string },
): ImageOverride {
  const { uri, artifactRef, helmImageParameter } = options;
  const source = application.spec.source;
  if (!source) {
    throw new InputError(
      `application ${application.metadata.name} has no spec.source${
        application.spec.sources
          ? ' (multi-source applications are not supported)'
          : ''
      }`,
    );
  }
  if (helmImageParameter) {
    const parameters = withHelmParameter(
      source.helm?.parameters ?? [],
      helmImageParameter,
      artifactRef,
    );
    return {
      patch: { spec: { source: { helm: { parameters } } } },
      description: `helm parameter ${helmImageParameter}=${artifactRef}`,
    };
  }
  if (source.chart || source.helm) {
    throw new InputError(
      `application ${application.metadata.name} is a Helm application: set helmImageParameter on the executor to the parameter that takes the image`,
    );
  }
  const images = withKustomizeImage(
    source.kustomize?.images ?? [],
    uri,
    artifactRef,
  );
  const entry = images.find(image => isOverrideOf(image, uri));
  return {
    patch: { spec: { source: { kustomize: { images } } } },
    description: `kustomize image ${entry}`,
  };
}

/**
 * Kustomize image overrides (`[name=]image[:tag|@digest]`) with the one for
 * `uri`'s repository set to `name=artifactRef`, in place of any entry for
 * that repository (keeping its name, which is what the manifests say), or
 * added as `uri=artifactRef`.
 */
export function withKustomizeImage(
  images: string[],
  uri: string,
  artifactRef: string,
): string[] {
  const index = images.findIndex(image => isOverrideOf(image, uri));
  if (index === -1) {
    return [...images, `${imageRepository(uri)}=${artifactRef}`];
  }
  const name = kustomizeImageName(images[index]);
  return images.map((image, i) =>
    i === index ? `${name}=${artifactRef}` : image,
  );
}

/**
 * Whether a Kustomize override is the one of `uri`: it applies to that
 * repository, or sets an image of it (`checkout=ghcr.io/acme/checkout:1.0`).
 */
function isOverrideOf(image: string, uri: string): boolean {
  const equals = image.indexOf('=');
  return (
    isImageOf(kustomizeImageName(image), uri) ||
    (equals !== -1 && isImageOf(image.slice(equals + 1), uri))
  );
}

/** The image name a Kustomize override applies to: before `=`, else its repository. */
export function kustomizeImageName(image: string): string {
  const equals = image.indexOf('=');
  return equals === -1 ? imageRepository(image) : image.slice(0, equals);
}

/** Helm parameters with `name` set to `value`, other parameters untouched. */
export function withHelmParameter(
  parameters: HelmParameter[],
  name: string,
  value: string,
): HelmParameter[] {
  const found = parameters.some(parameter => parameter.name === name);
  return found
    ? parameters.map(parameter =>
        parameter.name === name ? { ...parameter, value } : parameter,
      )
    : [...parameters, { name, value }];
}
