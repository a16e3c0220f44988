// @ts-check
'use strict';

const {
  DAY_MS,
  say,
  warn,
  call,
  entityPath,
  hexOf,
  expectSucceeded,
} = require('./api');

/**
 * One service's history, told through the API: releases registered with their
 * checks, promoted along the pipeline, approved by the demo approvers.
 */
class ServiceStory {
  constructor(
    /** @type {{ entityRef: string, artifactType: string, uri: string, repository: string }} */ service,
    /** @type {{ name: string, from: string | null }[]} */ environments,
    /** @type {{ user: string, token: string }[]} */ approvers,
  ) {
    this.service = service;
    this.environments = environments;
    this.approvers = approvers;
    /** @type {Map<string, any>} */
    this.releases = new Map();
  }

  digestOf(/** @type {string} */ version) {
    return `sha256:${hexOf(`${this.service.entityRef}@${version}`, 64)}`;
  }

  /**
   * Registers a release the way CI does, then waits for the deployments the
   * pipeline starts by itself (autoPromote) to finish.
   */
  async register(
    /** @type {string} */ version,
    /** @type {{ daysAgo: number, checks: Record<string, string>, build: number }} */ options,
  ) {
    const commit = hexOf(`${this.service.entityRef}#${version}`, 40);
    const release = await call('POST', '/v1/releases', {
      entityRef: this.service.entityRef,
      version,
      artifact: {
        type: this.service.artifactType,
        uri: this.service.uri,
        digest: this.digestOf(version),
      },
      source: {
        repository: this.service.repository,
        commit,
        branch: 'main',
        committedAt: new Date(
          Date.now() - options.daysAgo * DAY_MS,
        ).toISOString(),
      },
      build: {
        id: String(options.build),
        url: `https://ci.example.com/builds/${options.build}`,
      },
      checks: Object.entries(options.checks).map(([name, status]) => ({
        name,
        status,
        url: `https://ci.example.com/builds/${options.build}/${name}`,
        summary:
          name === 'unit-tests'
            ? `${380 + (options.build % 50)} passed`
            : status === 'passed'
            ? 'no known vulnerabilities'
            : 'scan running',
      })),
      labels: { team: 'payments' },
    });
    this.releases.set(version, release);
    say(`${this.service.entityRef} ${version}: registered (${release.id})`);
    for (const started of release.deployments ?? []) {
      await expectSucceeded(
        { id: started.deploymentId },
        `${version} → ${started.environment} (auto-promoted)`,
      );
    }
    return release;
  }

  /**
   * Promotes a release when its gates allow it. Where approvals are needed,
   * the demo approvers approve it (all of them, or only `approveAs`), and
   * with `wait: false` the deployment is left as it is. Answers 'deployed',
   * 'waiting', 'skipped' (a gate refuses it) or 'needs-approvals' (nobody
   * could approve, so nothing was requested).
   */
  async promote(
    /** @type {string} */ version,
    /** @type {string} */ environment,
    /** @type {string} */ reason,
    /** @type {{ approveAs?: string[], wait?: boolean }} */ options = {},
  ) {
    const wait = options.wait ?? true;
    const release = this.releases.get(version);
    const request = {
      entityRef: this.service.entityRef,
      releaseId: release.id,
      environment,
      reason,
    };
    const { gates } = await call('POST', '/v1/promotions', {
      ...request,
      dryRun: true,
    });
    const refused = gates.filter(
      (/** @type {any} */ g) => !g.passed && g.name !== 'approvals',
    );
    if (refused.length > 0) {
      warn(
        `${
          this.service.entityRef
        } ${version} → ${environment} skipped: ${refused
          .map((/** @type {any} */ g) => `${g.name} (${g.message})`)
          .join('; ')}`,
      );
      return 'skipped';
    }
    const waitsForApprovals = gates.some(
      (/** @type {any} */ g) => g.name === 'approvals' && !g.passed,
    );
    const approving = waitsForApprovals
      ? this.approvers.filter(
          a => !options.approveAs || options.approveAs.includes(a.user),
        )
      : [];
    if (waitsForApprovals && wait && approving.length === 0) {
      return 'needs-approvals';
    }
    let deployment = await call('POST', '/v1/promotions', request);
    for (const approver of approving) {
      deployment = await call(
        'POST',
        `/v1/deployments/${deployment.id}/approvals`,
        { decision: 'approve', comment: `checked the ${version} changelog` },
        approver.token,
      );
      say(`  ${version} → ${environment}: approved by ${approver.user}`);
    }
    if (!wait) {
      say(
        `  ${version} → ${environment}: ${deployment.status}, waiting for more approvals (${deployment.id})`,
      );
      return 'waiting';
    }
    await expectSucceeded(deployment, `${version} → ${environment}`);
    return 'deployed';
  }

  /** Promotes a release along the pipeline as far as `last`, stopping at approvals. */
  async promoteThrough(
    /** @type {string} */ version,
    /** @type {string} */ last,
  ) {
    for (const environment of this.environments.slice(1)) {
      const outcome = await this.promote(
        version,
        environment.name,
        `ship ${version} to ${environment.name}`,
      );
      if (outcome !== 'deployed') return outcome;
      if (environment.name === last) break;
    }
    return 'deployed';
  }

  async rollback(
    /** @type {string} */ environment,
    /** @type {string} */ reason,
  ) {
    const deployment = await call('POST', '/v1/rollbacks', {
      entityRef: this.service.entityRef,
      environment,
      reason,
    });
    await expectSucceeded(
      deployment,
      `rollback of ${environment} to ${deployment.release?.version}`,
    );
  }

  async environmentsNow() {
    return (
      await call('GET', `${entityPath(this.service.entityRef)}/environments`)
    ).environments;
  }
}

module.exports = { ServiceStory };
