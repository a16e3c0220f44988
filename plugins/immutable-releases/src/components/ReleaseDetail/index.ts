export { ReleaseDetailPage } from './ReleaseDetail';
