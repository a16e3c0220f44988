import { resolvePackagePath } from '@backstage/backend-plugin-api';

type EventChain = typeof import('../../bin/immutable-releases-audit');

/**
 * The hash chain's definition (canonical JSON, hash, chain check). It lives
 * in the package's dependency-free `bin` file, so that an auditor runs the
 * very code the backend hashes with; it is loaded from there at run time,
 * not bundled, which also works from the published package.
 */
const eventChain: EventChain = require(resolvePackagePath(
  'backstage-plugin-immutable-releases-backend',
  'bin/immutable-releases-audit.js',
));

export const { ChainVerifier, eventHash } = eventChain;
