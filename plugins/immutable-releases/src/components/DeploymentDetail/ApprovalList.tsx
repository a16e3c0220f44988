import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { DeploymentApproval } from 'backstage-plugin-immutable-releases-common';
import { actorName } from '../shared/actorName';
import { Timestamp } from '../shared/Timestamp';

/** Who approved or rejected the deployment, when, and what they said. */
export function ApprovalList(props: { approvals: DeploymentApproval[] }) {
  if (props.approvals.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No approvals or rejections yet.
      </Typography>
    );
  }
  return (
    <List dense aria-label="approvals">
      {props.approvals.map(approval => (
        <ListItem key={`${approval.approver}-${approval.at}`}>
          <ListItemText
            primary={
              <>
                {actorName(approval.approver)}{' '}
                {approval.decision === 'approve' ? 'approved' : 'rejected'}{' '}
                <Timestamp at={approval.at} variant="caption" />
              </>
            }
            secondary={approval.comment ? `“${approval.comment}”` : undefined}
          />
        </ListItem>
      ))}
    </List>
  );
}
