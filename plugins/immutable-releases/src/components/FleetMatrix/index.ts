export { FleetMatrix } from './FleetMatrix';
