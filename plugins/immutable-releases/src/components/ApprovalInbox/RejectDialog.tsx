import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@material-ui/core';

/** Asks why before rejecting: the requester should learn what to change. */
export function RejectDialog(props: {
  open: boolean;
  /** What is rejected, e.g. "1.4.0 → production of shop". */
  subject: string;
  busy: boolean;
  onCancel: () => void;
  onReject: (comment: string) => void;
}) {
  const { open, subject, busy, onCancel, onReject } = props;
  const [comment, setComment] = useState('');
  const reason = comment.trim();
  return (
    <Dialog open={open} onClose={onCancel} fullWidth>
      <DialogTitle>Reject {subject}</DialogTitle>
      <DialogContent>
        <TextField
          fullWidth
          multiline
          required
          label="Why reject it?"
          helperText="The requester sees this comment on the deployment."
          value={comment}
          onChange={event => setComment(event.target.value)}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Back</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={busy || !reason}
          onClick={() => onReject(reason)}
        >
          Reject
        </Button>
      </DialogActions>
    </Dialog>
  );
}
