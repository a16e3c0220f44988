export { PipelineStrip } from './PipelineStrip';
export type { PipelineStripProps } from './PipelineStrip';
