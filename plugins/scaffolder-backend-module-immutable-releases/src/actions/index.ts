export { createRegisterReleaseAction } from './register';
export { createPromoteReleaseAction } from './promote';
export { createRollbackReleaseAction } from './rollback';
export { ReleasesApiClient, GatesRefusedError } from './ReleasesApiClient';
export type { ReleasesActionOptions } from './shared';
