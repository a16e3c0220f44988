import { Config } from '@backstage/config';
import {
  readNonEmptyString,
  UrlTemplateError,
  validateUrlTemplate,
} from 'backstage-plugin-immutable-releases-node';

/** How to reach one Argo CD API server, and which Application a target is. */
export interface ArgoCdConnection {
  /** Without a trailing slash: `https://argocd.example.com`. */
  baseUrl: string;
  token: string;
  /** Base64-encoded PEM of the certificate authority of the Argo CD server. */
  caData?: string;
  skipTLSVerify: boolean;
  /** A template of the Application name, e.g. `{{ entity.metadata.name }}-{{ environment }}`. */
  application: string;
}

/** The keys {@link readConnection} reads. */
export const CONNECTION_KEYS = [
  'baseUrl',
  'token',
  'application',
  'caData',
  'skipTLSVerify',
];

/** Reads and checks the connection keys of the definition at `configKey`. */
export function readConnection(
  config: Config,
  configKey: string,
): ArgoCdConnection {
  const baseUrl = readNonEmptyString(config, 'baseUrl', configKey);
  if (!/^https?:\/\/[^/]/.test(baseUrl) || !URL.canParse(baseUrl)) {
    throw new Error(
      `${configKey}.baseUrl must be the http(s) URL of the Argo CD server, e.g. https://argocd.example.com`,
    );
  }
  if (new URL(baseUrl).search || new URL(baseUrl).username) {
    throw new Error(
      `${configKey}.baseUrl must not carry a query string or credentials; the token goes in ${configKey}.token`,
    );
  }
  const application = readNonEmptyString(config, 'application', configKey);
  try {
    validateUrlTemplate(application);
  } catch (error) {
    if (error instanceof UrlTemplateError) {
      throw new Error(`${configKey}.application: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  const caData = config.getOptional('caData');
  if (caData !== undefined && (typeof caData !== 'string' || !caData)) {
    throw new Error(
      `${configKey}.caData must be the base64-encoded PEM of the server's certificate authority`,
    );
  }
  const skipTLSVerify = config.getOptional('skipTLSVerify') ?? false;
  if (typeof skipTLSVerify !== 'boolean') {
    throw new Error(`${configKey}.skipTLSVerify must be true or false`);
  }
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    token: readNonEmptyString(config, 'token', configKey),
    caData,
    skipTLSVerify,
    application,
  };
}
