import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { KNOWN_EVENT_TYPES, typesOfFilter } from './eventFilter';

describe('typesOfFilter', () => {
  it('keeps exact types and expands groups into their known types', () => {
    expect(
      typesOfFilter(['approval.', 'hold.set', 'approval.approved']),
    ).toEqual(['approval.approved', 'approval.rejected', 'hold.set']);
    expect(typesOfFilter(['deployment.'])).toEqual(
      KNOWN_EVENT_TYPES.filter(type => type.startsWith('deployment.')),
    );
  });

  it('keeps an exact type no backend records any more: old trails may hold it', () => {
    expect(typesOfFilter(['observation.recorded'])).toEqual([
      'observation.recorded',
    ]);
  });

  it('refuses a group of no known type and a malformed type, naming them', () => {
    expect(() => typesOfFilter(['deploy.'])).toThrow(InputError);
    expect(() => typesOfFilter(['deploy.'])).toThrow(
      "type 'deploy.' is no group of event types; the groups are release., check., attestation., deployment., approval., freeze., promotion., rollback., hold., drift.",
    );
    expect(() => typesOfFilter(['Deployment'])).toThrow(
      /type 'Deployment' is neither an event type/,
    );
  });
});

describe('KNOWN_EVENT_TYPES', () => {
  it('holds every type the backend records, so that each group finds all of its events', () => {
    const sources = fs
      .readdirSync(path.resolve(__dirname, '..'), { recursive: true })
      .map(String)
      .filter(file => /\.ts$/.test(file) && !/(test|generated)\.ts$/.test(file))
      .map(file =>
        fs.readFileSync(path.resolve(__dirname, '..', file), 'utf8'),
      );
    const recorded = new Set<string>();
    for (const source of sources) {
      const literals = source.matchAll(
        /(?:type: |eventFor\(\s*\w+,\s*)'([a-z-]+\.[a-z_-]+)'/g,
      );
      for (const [, type] of literals) {
        recorded.add(type);
      }
    }
    expect(recorded.size).toBeGreaterThan(15);
    expect(
      [...recorded].filter(type => !KNOWN_EVENT_TYPES.includes(type)),
    ).toEqual([]);
  });
});
