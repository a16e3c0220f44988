export { ApprovalInbox } from './ApprovalInbox';
