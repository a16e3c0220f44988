export { ReleaseHistoryTable, RELEASES_PAGE_SIZE } from './ReleaseHistoryTable';
export type { ReleaseHistoryTableProps } from './ReleaseHistoryTable';
