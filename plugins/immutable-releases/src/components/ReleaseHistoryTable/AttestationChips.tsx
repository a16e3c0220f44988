import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import {
  AttestationSigner,
  ReleaseAttestation,
  shortDigest,
} from 'backstage-plugin-immutable-releases-common';

const useStyles = makeStyles(theme => ({
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  details: { whiteSpace: 'pre-line' },
}));

/** `https://slsa.dev/provenance/v1` → `SLSA provenance v1`; else the type without its scheme. */
export function predicateLabel(predicateType: string): string {
  const slsa = predicateType.match(
    /^https:\/\/slsa\.dev\/provenance\/(v[\d.]+)$/,
  );
  return slsa
    ? `SLSA provenance ${slsa[1]}`
    : predicateType.replace(/^https?:\/\//, '');
}

function signerText(signer?: AttestationSigner): string {
  if (signer?.certificateIdentity) {
    return `${signer.certificateIdentity}${
      signer.certificateIssuer ? ` (${signer.certificateIssuer})` : ''
    }`;
  }
  return signer?.keyHint ? `key ${signer.keyHint}` : 'a key without hint';
}

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
