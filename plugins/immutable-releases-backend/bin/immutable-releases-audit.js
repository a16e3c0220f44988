#!/usr/bin/env node
// @ts-check
/*
 * The hash chain of the Immutable Releases audit trail, and a command that
 * exports an entity's trail over the REST API and verifies an exported file.
 *
 * This one file is the definition the backend computes its hashes with; it
 * needs nothing but Node.js (18 or later), so an auditor can copy it and
 * check a trail without our packages:
 *
 *   node immutable-releases-audit.js verify trail.jsonl [--head sha256:…]
 *   node immutable-releases-audit.js export --url http://backstage:7007 \
 *     --token $TOKEN --entity component:default/checkout --out trail.jsonl
 *
 * An event's hash is `sha256:` and the lower-case hex SHA-256 of the UTF-8
 * bytes of the canonical JSON of its fields id, type, entityRef, environment,
 * releaseId, deploymentId, actor, at, details and prevHash: object keys sorted
 * by UTF-16 code units at every depth, no whitespace, strings and numbers as
 * JSON.stringify writes them, an absent optional field as null.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const readline = require('node:readline');

/** A command line this command does not understand. */
class UsageError extends Error {}

/**
 * @typedef {object} ChainedEvent
 * @property {string} id
 * @property {string} type
 * @property {string} entityRef
 * @property {string} [environment]
 * @property {string} [releaseId]
 * @property {string} [deploymentId]
 * @property {string} actor
 * @property {string} at
 * @property {unknown} details
 * @property {string | null} [prevHash]
 * @property {string} [hash]
 */

/**
 * JSON text of a JSON value with object keys sorted and no whitespace.
 *
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // undefined, functions and symbols have no JSON text; in an array they are null
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const object = /** @type {Record<string, unknown>} */ (value);
  const members = Object.keys(object)
    .sort()
    .filter(key => hasJsonText(object[key]))
    .map(key => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${members.join(',')}}`;
}

/** @param {unknown} value */
function hasJsonText(value) {
  return (
    value !== undefined &&
    typeof value !== 'function' &&
    typeof value !== 'symbol'
  );
}

/**
 * The hash of an event chained after `prevHash` (null for an entity's first
 * event). `details` is read as JSON reads it back (a Date as its string, an
 * undefined member left out), so the hash of an event about to be stored
 * equals the one computed from the event the API returns.
 *
 * @param {Omit<ChainedEvent, 'hash' | 'prevHash'>} event
 * @param {string | null} prevHash
 * @returns {string}
 */
function eventHash(event, prevHash) {
  const content = {
    id: event.id,
    type: event.type,
    entityRef: event.entityRef,
    environment: event.environment ?? null,
    releaseId: event.releaseId ?? null,
    deploymentId: event.deploymentId ?? null,
    actor: event.actor,
    at: event.at,
    details: JSON.parse(JSON.stringify(event.details ?? null)),
    prevHash,
  };
  const digest = crypto
    .createHash('sha256')
    .update(canonicalJson(content), 'utf8')
    .digest('hex');
  return `sha256:${digest}`;
}

/**
 * Walks one entity's events oldest first: each must name the hash of the one
 * before it (null for the first) and carry the hash of its own content.
 */
class ChainVerifier {
  constructor() {
    /** @type {string | null} the hash of the last event that held */
    this.head = null;
    /** how many events held so far */
    this.events = 0;
  }

  /**
   * @param {ChainedEvent} event
   * @returns {string | undefined} why the event breaks the chain, if it does
   */
  check(event) {
    const prevHash = event.prevHash ?? null;
    if (prevHash !== this.head) {
      return this.head === null
        ? 'the first event names a previous event (prevHash is not null): the trail does not start at the entity’s first event'
        : 'prevHash does not match the hash of the previous event: an event before it was removed, inserted or re-ordered';
    }
    if (event.hash !== eventHash(event, prevHash)) {
      return 'hash does not match the event’s content: the event was changed';
    }
    this.head = event.hash;
    this.events += 1;
    return undefined;
  }
}

/**
 * Verifies a JSON lines file of one entity's trail, oldest first.
 *
 * @param {string} file
 * @param {{ head?: string }} [expect]
 * @returns {Promise<{ valid: true, events: number, head: string | null } | { valid: false, line: number, eventId?: string, events: number, reason: string }>}
 */
async function verifyFile(file, expect = {}) {
  const chain = new ChainVerifier();
  const lines = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Infinity,
  });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    /** @type {ChainedEvent} */
    let event;
    try {
      event = JSON.parse(text);
    } catch {
      return broken(line, undefined, 'the line is not JSON');
    }
    if (event === null || typeof event !== 'object') {
      return broken(line, undefined, 'the line is not an event object');
    }
    const reason = chain.check(event);
    if (reason) {
      return broken(line, event.id, reason);
    }
  }
  if (expect.head !== undefined && expect.head !== chain.head) {
    return broken(
      line,
      undefined,
      `the last event’s hash is ${chain.head}, not the expected head ${expect.head}: events at the end are missing or were changed`,
    );
  }
  return { valid: true, events: chain.events, head: chain.head };

  /**
   * @param {number} at
   * @param {string | undefined} eventId
   * @param {string} reason
   */
  function broken(at, eventId, reason) {
    return {
      valid: /** @type {const} */ (false),
      line: at,
      ...(eventId === undefined ? {} : { eventId }),
      events: chain.events,
      reason,
    };
  }
}

/**
 * Writes an entity's trail, oldest first, as JSON lines, reading it page by
 * page from the REST API of a running backend.
 *
 * @param {{ url: string, token: string, entity: string, out: string, fetch?: typeof fetch }} options
 * @returns {Promise<{ events: number, head: string | null, broken?: { line: number, eventId: string, reason: string } }>}
 */
async function exportTrail(options) {
  const match = /^([^:/]+):([^:/]+)\/([^:/]+)$/.exec(options.entity);
  if (!match) {
    throw new UsageError(
      `--entity must be a full entity ref kind:namespace/name, got '${options.entity}'`,
    );
  }
  const [kind, namespace, name] = match
    .slice(1)
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')));
  const base = options.url.replace(/\/+$/, '');
  const pluginBase = base.endsWith('/api/immutable-releases')
    ? base
    : `${base}/api/immutable-releases`;
  const eventsUrl = `${pluginBase}/v1/entities/${kind}/${namespace}/${name}/events`;
  const doFetch = options.fetch ?? fetch;

  const chain = new ChainVerifier();
  /** @type {{ line: number, eventId: string, reason: string } | undefined} */
  let firstBroken;
  let line = 0;
  const out = fs.createWriteStream(options.out, 'utf8');
  try {
    /** @type {string | null} */
    let cursor = null;
    do {
      const query = new URLSearchParams({ order: 'oldest', limit: '200' });
      if (cursor) {
        query.set('cursor', cursor);
      }
      const response = await doFetch(`${eventsUrl}?${query}`, {
        headers: { authorization: `Bearer ${options.token}` },
      });
      if (!response.ok) {
        throw new Error(
          `GET ${eventsUrl} answered ${
            response.status
          }: ${await response.text()}`,
        );
      }
      /** @type {{ items: ChainedEvent[], nextCursor: string | null }} */
      const page = await response.json();
      for (const event of page.items) {
        line += 1;
        const reason = firstBroken ? undefined : chain.check(event);
        if (reason) {
          firstBroken = { line, eventId: event.id, reason };
        }
        if (!out.write(`${JSON.stringify(event)}\n`)) {
          await new Promise(resolve => out.once('drain', resolve));
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    // No partial trail is left behind to be mistaken for a whole one. The
    // file is removed once the stream closed: a stream destroyed before it
    // opened still opens (creates) the file first.
    await new Promise(resolve => {
      out.once('close', resolve);
      out.destroy();
    });
    fs.rmSync(options.out, { force: true });
    throw error;
  }
  await new Promise((resolve, reject) =>
    out.end(() => (out.errored ? reject(out.errored) : resolve(undefined))),
  );
  return {
    events: line,
    head: chain.head,
    ...(firstBroken ? { broken: firstBroken } : {}),
  };
}

const USAGE = `usage:
  immutable-releases-audit export --url BACKEND_URL --entity KIND:NAMESPACE/NAME --out FILE [--token TOKEN]
      writes the entity's audit trail, oldest first, as JSON lines with the hashes
      (the token may be given as IMMUTABLE_RELEASES_TOKEN instead)
  immutable-releases-audit verify FILE [--head HASH]
      checks the hash chain of an exported trail; --head also checks its last hash`;

/**
 * @param {string[]} args
 * @param {string[]} names the flags with a value
 */
function parseFlags(args, names) {
  /** @type {Record<string, string>} */
  const flags = {};
  /** @type {string[]} */
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z]+)(?:=(.*))?$/s.exec(args[i]);
    if (!match) {
      positional.push(args[i]);
      continue;
    }
    if (!names.includes(match[1])) {
      throw new UsageError(`unknown flag --${match[1]}`);
    }
    const value = match[2] ?? args[++i];
    if (value === undefined) {
      throw new UsageError(`--${match[1]} needs a value`);
    }
    flags[match[1]] = value;
  }
  return { flags, positional };
}

/**
 * Runs the command; returns the exit code (0 valid, 1 broken, 2 misuse or failure).
 *
 * @param {string[]} args
 * @param {{ out: (text: string) => void, env: Record<string, string | undefined> }} io
 * @returns {Promise<number>}
 */
async function main(args, io) {
  const [command, ...rest] = args;
  try {
    if (command === 'verify') {
      const { flags, positional } = parseFlags(rest, ['head']);
      if (positional.length !== 1) {
        throw new UsageError('verify takes one file');
      }
      const result = await verifyFile(positional[0], { head: flags.head });
      if (result.valid) {
        io.out(`valid: ${result.events} events, head ${result.head}\n`);
        return 0;
      }
      io.out(
        `broken at line ${result.line}${
          result.eventId ? ` (event ${result.eventId})` : ''
        }: ${result.reason}; the ${result.events} events before it hold\n`,
      );
      return 1;
    }
    if (command === 'export') {
      const { flags, positional } = parseFlags(rest, [
        'url',
        'token',
        'entity',
        'out',
      ]);
      const token = flags.token ?? io.env.IMMUTABLE_RELEASES_TOKEN;
      for (const required of ['url', 'entity', 'out']) {
        if (!flags[required]) {
          throw new UsageError(`export needs --${required}`);
        }
      }
      if (!token || positional.length > 0) {
        throw new UsageError(
          token
            ? `unexpected argument ${positional[0]}`
            : 'export needs --token (or IMMUTABLE_RELEASES_TOKEN)',
        );
      }
      const result = await exportTrail({
        url: flags.url,
        token,
        entity: flags.entity,
        out: flags.out,
      });
      io.out(
        `wrote ${result.events} events of ${flags.entity} to ${flags.out}\n`,
      );
      if (result.broken) {
        io.out(
          `the trail is broken at line ${result.broken.line} (event ${result.broken.eventId}): ${result.broken.reason}\n`,
        );
        return 1;
      }
      io.out(`valid: head ${result.head}\n`);
      return 0;
    }
    throw new UsageError(
      command ? `unknown command ${command}` : 'no command given',
    );
  } catch (error) {
    if (error instanceof UsageError) {
      io.out(`${error.message}\n${USAGE}\n`);
    } else {
      io.out(`${describeError(error)}\n`);
    }
    return 2;
  }
}

/**
 * The message of an error and of its causes (fetch says only "fetch failed").
 *
 * @param {unknown} error
 * @returns {string}
 */
function describeError(error) {
  if (!(error instanceof Error)) {
    return String(error);
  }
  return error.cause === undefined
    ? error.message
    : `${error.message}: ${describeError(error.cause)}`;
}

module.exports = {
  canonicalJson,
  eventHash,
  ChainVerifier,
  verifyFile,
  exportTrail,
  main,
};

if (require.main === module) {
  main(process.argv.slice(2), {
    out: text => process.stdout.write(text),
    env: process.env,
  }).then(code => {
    process.exitCode = code;
  });
}
