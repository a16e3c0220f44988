export { DeploymentDetailPage } from './DeploymentDetail';
