import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  canonicalJson,
  ChainVerifier,
  eventHash,
  exportTrail,
  main,
  verifyFile,
} from '../../bin/immutable-releases-audit';

const event = {
  id: 'e1',
  type: 'release.registered',
  entityRef: 'component:default/checkout',
  actor: 'user:default/alice',
  at: '2026-12-01T00:00:00.000Z',
  details: { version: '1.0.0', b: { z: 1, a: [true, null, 'ü'] } },
};

describe('the hash chain of the audit trail', () => {
  it('hashes the documented canonical JSON: keys sorted at every depth, no whitespace, absent fields as null', () => {
    const canonical =
      '{"actor":"user:default/alice","at":"2026-12-01T00:00:00.000Z","deploymentId":null,' +
      '"details":{"b":{"a":[true,null,"ü"],"z":1},"version":"1.0.0"},' +
      '"entityRef":"component:default/checkout","environment":null,"id":"e1",' +
      '"prevHash":null,"releaseId":null,"type":"release.registered"}';
    const expected = `sha256:${createHash('sha256')
      .update(canonical, 'utf8')
      .digest('hex')}`;

    expect(eventHash(event, null)).toBe(expected);
    expect(eventHash({ ...event, environment: undefined }, null)).toBe(
      expected,
    );
    expect(eventHash(event, expected)).not.toBe(expected);
  });

  it('hashes details as JSON reads them back', () => {
    const at = new Date('2026-12-01T00:00:00.000Z');
    expect(
      eventHash({ ...event, details: { when: at, gone: undefined } }, null),
    ).toBe(
      eventHash(
        { ...event, details: { when: '2026-12-01T00:00:00.000Z' } },
        null,
      ),
    );
    expect(canonicalJson({ b: [undefined, 1.5], a: 'x"y' })).toBe(
      '{"a":"x\\"y","b":[null,1.5]}',
    );
  });

  it('breaks at an event that names another previous event or whose content changed', () => {
    const first = { ...event, prevHash: null, hash: eventHash(event, null) };
    const second = {
      ...event,
      id: 'e2',
      prevHash: first.hash,
      hash: eventHash({ ...event, id: 'e2' }, first.hash),
    };

    const chain = new ChainVerifier();
    expect(chain.check(first)).toBeUndefined();
    expect(chain.check({ ...second, actor: 'user:default/mallory' })).toMatch(
      /^hash does not match/,
    );
    expect(chain.check(second)).toBeUndefined();
    expect(chain).toMatchObject({ events: 2, head: second.hash });

    expect(new ChainVerifier().check(second)).toMatch(
      /the trail does not start at the entity’s first event/,
    );
  });
});

describe('immutable-releases-audit verify', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-verify-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names a line that is not JSON, and an empty trail is valid', async () => {
    const file = path.join(dir, 'trail.jsonl');
    const first = { ...event, prevHash: null, hash: eventHash(event, null) };
    fs.writeFileSync(file, `${JSON.stringify(first)}\n{not json\n`);
    await expect(verifyFile(file)).resolves.toEqual({
      valid: false,
      line: 2,
      events: 1,
      reason: 'the line is not JSON',
    });

    fs.writeFileSync(file, '');
    await expect(verifyFile(file)).resolves.toEqual({
      valid: true,
      events: 0,
      head: null,
    });
  });

  it('explains how it is used when the command line is wrong', async () => {
    let output = '';
    const io = {
      out: (text: string) => {
        output += text;
      },
      env: {},
    };
    await expect(main(['verify'], io)).resolves.toBe(2);
    expect(output).toMatch(/^verify takes one file\nusage:/);
    output = '';
    await expect(
      main(
        [
          'export',
          '--url',
          'http://localhost:7007',
          '--entity',
          'x',
          '--out',
          'f',
        ],
        io,
      ),
    ).resolves.toBe(2);
    expect(output).toMatch(/^export needs --token/);
    output = '';
    await expect(
      main(
        [
          'export',
          '--url',
          'u',
          '--token',
          't',
          '--entity',
          'checkout',
          '--out',
          path.join(dir, 'f'),
        ],
        io,
      ),
    ).resolves.toBe(2);
    expect(output).toMatch(/^--entity must be a full entity ref/);
  });

  it('leaves no file behind when the backend refuses the export', async () => {
    const out = path.join(dir, 'trail.jsonl');
    const refusing = (async () =>
      new Response('{"error":{"name":"NotAllowedError"}}', {
        status: 403,
      })) as typeof fetch;

    await expect(
      exportTrail({
        url: 'http://backstage.example:7007/',
        token: 't',
        entity: 'Component:default/checkout',
        out,
        fetch: refusing,
      }),
    ).rejects.toThrow(
      'GET http://backstage.example:7007/api/immutable-releases/v1/entities/component/default/checkout/events answered 403',
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
