export { EntityReleaseDriftCard } from './EntityReleaseDriftCard';
