import { AttestationSigner } from 'backstage-plugin-immutable-releases-common';

/** `https://slsa.dev/provenance/v1` → `SLSA provenance v1`; else the type without its scheme. */
export function predicateLabel(predicateType: string): string {
  const slsa = predicateType.match(
    /^https:\/\/slsa\.dev\/provenance\/(v[\d.]+)$/,
  );
  return slsa
    ? `SLSA provenance ${slsa[1]}`
    : predicateType.replace(/^https?:\/\//, '');
}

/** Who signed, as the bundle says: a certificate identity, or a key hint. */
export function signerText(signer?: AttestationSigner): string {
  if (signer?.certificateIdentity) {
    return `${signer.certificateIdentity}${
      signer.certificateIssuer ? ` (${signer.certificateIssuer})` : ''
    }`;
  }
  return signer?.keyHint ? `key ${signer.keyHint}` : 'a key without hint';
}
