import {
  CheckStatus,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { compareUrl, webRepository } from '../shared/scmLinks';

/** How the commits of two releases relate. */
export type CommitRange =
  | { kind: 'range'; from: string; to: string; url?: string }
  | { kind: 'same'; commit: string }
  | { kind: 'unknown'; reason: string };

/** A check whose latest status is not the same on both releases (missing on one, say). */
export interface CheckDifference {
  name: string;
  candidate?: CheckStatus;
  running?: CheckStatus;
}

export interface LabelDifference {
  key: string;
  candidate?: string;
  running?: string;
}

/** What a candidate release changes against the release that runs in an environment. */
export interface ReleaseComparison {
  commits: CommitRange;
  checks: CheckDifference[];
  labels: LabelDifference[];
}

function sameRepository(a: string, b: string): boolean {
  const web = (repository: string) =>
    (webRepository(repository)?.base ?? repository).toLowerCase();
  return web(a) === web(b);
}

function commitRange(candidate: Release, running: Release): CommitRange {
  const to = candidate.source.commit;
  const from = running.source.commit;
  if (!to || !from) {
    return {
      kind: 'unknown',
      reason: `${to ? running.version : candidate.version} names no commit`,
    };
  }
  const repository = candidate.source.repository;
  if (
    !repository ||
    !running.source.repository ||
    !sameRepository(repository, running.source.repository)
  ) {
    return {
      kind: 'unknown',
      reason: 'the two releases were built from different repositories',
    };
  }
  if (from === to) {
    return { kind: 'same', commit: to };
  }
  const url = compareUrl(repository, from, to);
  return { kind: 'range', from, to, ...(url && { url }) };
}

function byName<T>(items: T[], nameOf: (item: T) => string): Map<string, T> {
  return new Map(items.map(item => [nameOf(item), item]));
}

/** The commit range, check differences and label differences from `running` to `candidate`. */
export function compareReleases(
  candidate: Release,
  running: Release,
): ReleaseComparison {
  const candidateChecks = byName(candidate.checks ?? [], c => c.name);
  const runningChecks = byName(running.checks ?? [], c => c.name);
  const checkNames = [
    ...new Set([...candidateChecks.keys(), ...runningChecks.keys()]),
  ].sort();
  const checks = checkNames
    .map(name => ({
      name,
      candidate: candidateChecks.get(name)?.status,
      running: runningChecks.get(name)?.status,
    }))
    .filter(check => check.candidate !== check.running);

  const labelKeys = [
    ...new Set([
      ...Object.keys(candidate.labels),
      ...Object.keys(running.labels),
    ]),
  ].sort();
  const labels = labelKeys
    .map(key => ({
      key,
      candidate: candidate.labels[key],
      running: running.labels[key],
    }))
    .filter(label => label.candidate !== label.running);

  return { commits: commitRange(candidate, running), checks, labels };
}
