export { EntityReleaseRollbackCard } from './EntityReleaseRollbackCard';
