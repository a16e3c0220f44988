import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { actorName, ENGINE_ACTOR } from '../shared/actorName';

/** An audit event as people read it. */
export interface EventSentence {
  /**
   * Who the sentence starts with, as the event names them (an entity ref or a service
   * subject); absent where the sentence names nobody ("1.4.0 succeeded in staging").
   */
  actor?: string;
  /** The sentence after the actor, or all of it: "approved 1.4.0 for production: looks good". */
  text: string;
  /** What else the event says, in words: the gates that failed, the checks, the drift. */
  note?: string;
}

/** The whole sentence as one string, the actor by name. */
export function sentenceText(sentence: EventSentence): string {
  return sentence.actor
    ? `${actorName(sentence.actor)} ${sentence.text}`
    : sentence.text;
}

type Details = Record<string, unknown>;

function text(details: Details, key: string): string | undefined {
  const value = details[key];
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/** `base` with `: reason` when there is one. */
function because(base: string, reason: string | undefined): string {
  return reason ? `${base}: ${reason}` : base;
}

interface Gate {
  name: string;
  passed: boolean;
  message?: string;
}

function gatesOf(details: Details): Gate[] {
  const gates = details.gates;
  return Array.isArray(gates)
    ? gates.filter(
        (gate): gate is Gate =>
          typeof gate?.name === 'string' && typeof gate?.passed === 'boolean',
      )
    : [];
}

/** "soak-time" → "soak time". */
function gateLabel(name: string): string {
  return name.replace(/-/g, ' ');
}

/** The failed gates in words ("waiting for 2 approvals; soak time: …"), or that all passed. */
export function describeGates(gates: Gate[]): string | undefined {
  if (gates.length === 0) {
    return undefined;
  }
  const failed = gates.filter(gate => !gate.passed);
  if (failed.length === 0) {
    return 'all gates passed';
  }
  return failed
    .map(gate => {
      if (gate.name === 'approvals') {
        const required = gate.message?.match(/(\d+) approvals?/)?.[1];
        return required
          ? `waiting for ${required} approval${required === '1' ? '' : 's'}`
          : 'waiting for approvals';
      }
      return gate.message
        ? `${gateLabel(gate.name)}: ${gate.message}`
        : `${gateLabel(gate.name)} failed`;
    })
    .join('; ');
}

function describeChecks(details: Details): string | undefined {
  const checks = Array.isArray(details.checks) ? details.checks : [];
  const described = checks
    .filter(
      (check): check is { name: string; status: string } =>
        typeof check?.name === 'string' && typeof check?.status === 'string',
    )
    .map(check => `${check.name} ${check.status}`);
  return described.length ? `checks: ${described.join(', ')}` : undefined;
}

function describeSigner(details: Details): string | undefined {
  const signer = details.signer as Details | undefined;
  if (!signer || typeof signer !== 'object') {
    return undefined;
  }
  const identity = text(signer, 'certificateIdentity');
  if (identity) {
    const issuer = text(signer, 'certificateIssuer');
    return `signed by ${identity}${issuer ? ` (issuer ${issuer})` : ''}`;
  }
  const keyHint = text(signer, 'keyHint');
  return keyHint ? `signed by key ${keyHint}` : undefined;
}

function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

function describeObservation(details: Details): string | undefined {
  const digest = text(details, 'observedDigest');
  if (!digest) {
    return undefined;
  }
  const version = text(details, 'observedVersion');
  const source = text(details, 'observedSource');
  return `observed ${version ?? 'an unregistered artifact'} (${shortDigest(
    digest,
  )})${source ? ` by ${source}` : ''}`;
}

/** "other words" of an unknown type: `canary.weight_changed` → "canary weight changed". */
function typeInWords(type: string): string {
  return type.replace(/[._-]+/g, ' ').trim();
}

/**
 * An audit event as a sentence a person reads ("alice approved 1.4.0 for production: looks
 * good"), with what else it says as a note, in words: never its raw details. An event type
 * this version does not know still reads as a sentence.
 */
export function eventSentence(event: ReleaseEvent): EventSentence {
  const details = (event.details ?? {}) as Details;
  const version = text(details, 'version') ?? 'a release';
  const environment = event.environment ?? 'an environment';
  const reason = text(details, 'reason');
  const message = text(details, 'message');
  const comment = text(details, 'comment');
  const isRollback = details.kind === 'rollback';
  const deploymentOf = isRollback
    ? `the rollback of ${environment} to ${version}`
    : `the deployment of ${version} to ${environment}`;
  const by = { actor: event.actor };

  switch (event.type) {
    case 'release.registered':
      return {
        ...by,
        text: `registered ${version}`,
        note: describeChecks(details),
      };
    case 'release.revoked':
      return { ...by, text: because(`revoked ${version}`, reason) };
    case 'check.recorded': {
      const name = text(details, 'name') ?? 'a check';
      const status = text(details, 'status');
      return {
        text:
          status === 'pending'
            ? `check ${name} is pending for ${version}`
            : `check ${name} ${status ?? 'was recorded'} for ${version}`,
      };
    }
    case 'attestation.recorded': {
      const signer = describeSigner(details);
      return {
        text: `attestation ${
          text(details, 'predicateType') ?? ''
        } recorded for ${version}${signer ? ` (${signer})` : ''}`.replace(
          /\s+/g,
          ' ',
        ),
      };
    }
    case 'deployment.requested':
      return {
        ...by,
        text: because(
          isRollback
            ? `rolled ${environment} back to ${version}`
            : `requested a promotion of ${version} to ${environment}`,
          reason,
        ),
        note: describeGates(gatesOf(details)),
      };
    case 'deployment.running': {
      const executor = text(details, 'executor');
      return {
        text: `${deploymentOf} started${executor ? ` with ${executor}` : ''}`,
      };
    }
    case 'deployment.verifying':
      return { text: `${deploymentOf} is being verified` };
    case 'deployment.succeeded':
      return {
        text: isRollback
          ? `${deploymentOf} succeeded`
          : `${version} succeeded in ${environment}`,
        note: message,
      };
    case 'deployment.failed':
      return { text: because(`${deploymentOf} failed`, message) };
    case 'deployment.rejected':
      return { text: `${deploymentOf} was rejected` };
    case 'deployment.cancelled':
      return { ...by, text: because(`cancelled ${deploymentOf}`, reason) };
    case 'deployment.superseded':
      return { text: `${deploymentOf} was superseded by a newer request` };
    case 'approval.approved':
      return {
        ...by,
        text: because(`approved ${version} for ${environment}`, comment),
      };
    case 'approval.rejected':
      return {
        ...by,
        text: because(`rejected ${version} for ${environment}`, comment),
      };
    case 'freeze.overridden':
      return {
        ...by,
        text: because(`overrode the freeze window of ${environment}`, reason),
      };
    case 'promotion.skipped':
      return {
        text: because(
          `the automatic promotion of ${version} to ${environment} was skipped`,
          reason,
        ),
      };
    case 'promotion.blocked': {
      const retryAt = text(details, 'retryAt');
      return {
        text: `the automatic promotion of ${version} to ${environment} was blocked by its gates${
          retryAt ? '; it is retried when they can pass' : ''
        }`,
        note: describeGates(gatesOf(details)),
      };
    }
    case 'rollback.skipped':
      return {
        text: because(
          `the automatic rollback of ${environment} was skipped`,
          reason,
        ),
      };
    case 'hold.set':
      return { text: because(`a hold was set on ${environment}`, reason) };
    case 'hold.released':
      return event.actor === ENGINE_ACTOR || reason
        ? {
            text: because(`the hold on ${environment} was released`, reason),
          }
        : { ...by, text: `released the hold on ${environment}` };
    case 'drift.changed': {
      const to = text(details, 'to') ?? 'unknown';
      return {
        text:
          to === 'in-sync'
            ? `${environment} is in sync again`
            : `drift in ${environment}: now ${to}`,
        note: describeObservation(details),
      };
    }
    case 'observation.recorded':
      return {
        ...by,
        text: `recorded what runs in ${environment}`,
        note: describeObservation(details),
      };
    default:
      return unknownEventSentence(event, details);
  }
}

/** A sentence for a type this version does not know, from the fields every event has. */
function unknownEventSentence(
  event: ReleaseEvent,
  details: Details,
): EventSentence {
  const version = text(details, 'version');
  const words = [
    typeInWords(event.type),
    version ? `of ${version}` : undefined,
    event.environment ? `in ${event.environment}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const said =
    text(details, 'message') ??
    text(details, 'reason') ??
    text(details, 'comment');
  return { actor: event.actor, text: because(`recorded ${words}`, said) };
}
