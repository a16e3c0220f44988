import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import { main } from '../bin/immutable-releases-audit';
import { Release } from 'backstage-plugin-immutable-releases-common';
import {
  ALICE,
  ENTITY_PATH,
  ENTITY_REF,
  pluginBackendStarter,
  register,
  waitForCurrent,
} from './__testUtils__/pluginBackend';
import { ReleasesDatabase } from './database/ReleasesDatabase';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Runs the audit command as a shell would; answers its exit code and output. */
async function audit(...args: string[]) {
  let output = '';
  const code = await main(args, {
    out: text => {
      output += text;
    },
    env: {},
  });
  return { code, output };
}

describe.each(databases.eachSupportedId())(
  'the audit trail of the plugin on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-trail-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** The plugin on a port of 127.0.0.1, with releases registered and deployed to development. */
    async function startWithReleases(versions: string[]) {
      const started = await start();
      let last: Release | undefined;
      for (const version of versions) {
        last = await register(started.server, version);
      }
      await waitForCurrent(started.server, 'development', last!.id);
      const { port } = started.server.address() as AddressInfo;
      return { ...started, url: `http://127.0.0.1:${port}` };
    }

    it('exports a trail over REST that the verifier accepts, and the verifier finds a tampered, a removed and a missing last line', async () => {
      const { server, knex, url } = await startWithReleases(['1.0.0', '1.0.1']);
      // More events than one page of the export.
      const db = await ReleasesDatabase.fromKnex(knex);
      await db.events.append(
        Array.from({ length: 450 }, (_, i) => ({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          type: 'observation.recorded',
          entityRef: ENTITY_REF,
          environment: 'production',
          actor: 'user:default/alice',
          at: new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString(),
          details: { i, text: 'ünïcode ✓', nested: { b: [1, null], a: true } },
        })),
      );
      const verified = await request(server)
        .get(`${ENTITY_PATH}/events/verify`)
        .set('Authorization', ALICE);
      expect(verified.status).toBe(200);
      expect(verified.body).toEqual({
        valid: true,
        events: expect.any(Number),
        head: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      const { events, head } = verified.body;
      expect(events).toBeGreaterThan(450);

      const file = path.join(dir, 'trail.jsonl');
      const exported = await audit(
        'export',
        '--url',
        url,
        '--token',
        ALICE.replace(/^Bearer /, ''),
        '--entity',
        ENTITY_REF,
        '--out',
        file,
      );
      expect(exported).toEqual({
        code: 0,
        output: `wrote ${events} events of ${ENTITY_REF} to ${file}\nvalid: head ${head}\n`,
      });
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(events);
      expect(JSON.parse(lines[0])).toMatchObject({
        type: 'release.registered',
        prevHash: null,
      });

      await expect(audit('verify', file, '--head', head)).resolves.toEqual({
        code: 0,
        output: `valid: ${events} events, head ${head}\n`,
      });

      const tampered = path.join(dir, 'tampered.jsonl');
      const edited = JSON.parse(lines[10]);
      edited.details.i = 9999;
      fs.writeFileSync(
        tampered,
        [...lines.slice(0, 10), JSON.stringify(edited), ...lines.slice(11)]
          .map(line => `${line}\n`)
          .join(''),
      );
      const onTampered = await audit('verify', tampered);
      expect(onTampered.code).toBe(1);
      expect(onTampered.output).toBe(
        `broken at line 11 (event ${edited.id}): hash does not match the event’s content: the event was changed; the 10 events before it hold\n`,
      );

      const removed = path.join(dir, 'removed.jsonl');
      fs.writeFileSync(
        removed,
        [...lines.slice(0, 4), ...lines.slice(5)].join('\n'),
      );
      const onRemoved = await audit('verify', removed);
      expect(onRemoved.code).toBe(1);
      expect(onRemoved.output).toMatch(
        /^broken at line 5 .*: prevHash does not match the hash of the previous event/,
      );

      const truncated = path.join(dir, 'truncated.jsonl');
      fs.writeFileSync(truncated, lines.slice(0, -1).join('\n'));
      await expect(audit('verify', truncated)).resolves.toMatchObject({
        code: 0,
      });
      const onTruncated = await audit('verify', truncated, '--head', head);
      expect(onTruncated.code).toBe(1);
      expect(onTruncated.output).toMatch(/not the expected head/);
    });

    it('answers valid false with the first broken event once a row was changed with SQL', async () => {
      const { server, knex } = await startWithReleases(['1.0.0', '1.0.1']);
      const trail = await request(server)
        .get(`${ENTITY_PATH}/events?order=oldest`)
        .set('Authorization', ALICE);
      expect(trail.status).toBe(200);
      const second = trail.body.items[1];
      expect(second.prevHash).toBe(trail.body.items[0].hash);

      if (knex.client.config.client === 'pg') {
        await knex.raw(
          'ALTER TABLE events DISABLE TRIGGER events_refuse_change',
        );
      } else {
        await knex.raw('DROP TRIGGER events_refuse_update');
      }
      await knex('events')
        .where({ id: second.id })
        .update({ actor: 'user:default/mallory' });

      const verified = await request(server)
        .get(`${ENTITY_PATH}/events/verify`)
        .set('Authorization', ALICE);
      expect(verified.status).toBe(200);
      expect(verified.body).toEqual({
        valid: false,
        brokenAt: second.id,
        events: 1,
        reason: expect.stringMatching(/^hash does not match/),
      });

      const anonymous = await request(server).get(
        `${ENTITY_PATH}/events/verify`,
      );
      expect(anonymous.status).toBe(401);
    });
  },
);
