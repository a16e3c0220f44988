import { InTotoStatement } from './attestationBundle';

/** An attestation of a release after its signature was checked against an environment's keys. */
export interface AttestationVerdict {
  id: string;
  predicateType: string;
  subjectDigests: string[];
  /** The statement, or null when the bundle could not be read. */
  statement: InTotoStatement | null;
  /** The name of the configured key the signature verified with, or null. */
  verifiedBy: string | null;
  /** Why the signature did not verify, when it did not. */
  failure?: string;
}
