export { ReleaseTimeline, EVENTS_PAGE_SIZE } from './ReleaseTimeline';
export type { ReleaseTimelineProps } from './ReleaseTimeline';
