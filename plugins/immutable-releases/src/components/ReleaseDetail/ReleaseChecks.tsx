import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { Link } from '@backstage/core-components';
import {
  ReleaseAttestation,
  ReleaseCheck,
  shortDigest,
} from 'backstage-plugin-immutable-releases-common';
import { actorName } from '../shared/actorName';
import { predicateLabel, signerText } from '../shared/attestationText';
import { CheckChip } from '../shared/StatusChips';
import { Timestamp } from '../shared/Timestamp';

/** The latest result of each check, with its summary, link and who recorded it. */
export function ReleaseChecks(props: { checks: ReleaseCheck[] }) {
  if (props.checks.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No checks recorded. CI records them with POST
        /v1/releases/&#123;id&#125;/checks.
      </Typography>
    );
  }
  return (
    <List dense aria-label="checks">
      {props.checks.map(check => (
        <ListItem key={check.name}>
          <ListItemText
            primary={
              <>
                <CheckChip name={check.name} status={check.status} />{' '}
                {check.summary}{' '}
                {check.url && <Link to={check.url}>details</Link>}
              </>
            }
            secondary={
              <>
                recorded by {actorName(check.recordedBy)},{' '}
                <Timestamp at={check.recordedAt} variant="caption" />
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}

/**
 * The release's attestations as recorded: predicate, signer, subjects. Whether a signature
 * verifies against an environment's keys is for the gates of a promotion there.
 */
export function ReleaseAttestations(props: {
  attestations: ReleaseAttestation[];
}) {
  if (props.attestations.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No attestations.
      </Typography>
    );
  }
  return (
    <List dense aria-label="attestations">
      {props.attestations.map(attestation => (
        <ListItem key={attestation.id}>
          <ListItemText
            primary={`${predicateLabel(
              attestation.predicateType,
            )}, signed by ${signerText(attestation.signer)}`}
            secondary={
              <>
                subjects{' '}
                {attestation.subjectDigests.map(shortDigest).join(', ')};
                recorded by {actorName(attestation.recordedBy)},{' '}
                <Timestamp at={attestation.recordedAt} variant="caption" />
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
