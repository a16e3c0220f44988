import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import {
  ReleaseAttestation,
  shortDigest,
} from 'backstage-plugin-immutable-releases-common';
import { predicateLabel, signerText } from '../shared/attestationText';

const useStyles = makeStyles(theme => ({
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  details: { whiteSpace: 'pre-line' },
}));

/**
 * A release's attestations: predicate type, with the signer the bundle names
 * and its subjects on hover. Whether a signature verifies is the gates' call.
 */
export function AttestationChips(props: {
  attestations: ReleaseAttestation[];
}) {
  const classes = useStyles();
  return (
    <div className={classes.chips}>
      {props.attestations.map(attestation => (
        <Tooltip
          key={attestation.id}
          title={
            <span className={classes.details}>
              {`${attestation.predicateType}\nsigned by ${signerText(
                attestation.signer,
              )} (verified by the gates)\nsubjects: ${attestation.subjectDigests
                .map(shortDigest)
                .join(', ')}`}
            </span>
          }
        >
          <Chip
            size="small"
            variant="outlined"
            icon={<VerifiedUserIcon />}
            label={predicateLabel(attestation.predicateType)}
            aria-label={`attestation ${predicateLabel(
              attestation.predicateType,
            )} signed by ${signerText(attestation.signer)}`}
          />
        </Tooltip>
      ))}
    </div>
  );
}
