import { InputError } from '@backstage/errors';
import {
  decodeEntityCursor,
  encodeEntityCursor,
  fillPageInRounds,
} from './pagination';

/** Numbers 1..count, read in rounds; `kept` decides which ones the page shows. */
function numbers(count: number, kept: (n: number) => boolean) {
  const rounds: number[] = [];
  const page = (limit: number, after?: number) =>
    fillPageInRounds({
      limit,
      after,
      maxRound: 40,
      read: async (from, size) => {
        rounds.push(size);
        const start = (from ?? 0) + 1;
        return Array.from({ length: size }, (_, i) => start + i).filter(
          n => n <= count,
        );
      },
      keep: async rows =>
        rows.filter(kept).map(n => ({ row: n, item: `item ${n}` })),
      positionOf: n => n,
    });
  return { page, rounds };
}

describe('fillPageInRounds', () => {
  it('reads one row more than the page holds, and says where the next page starts', async () => {
    const { page, rounds } = numbers(100, () => true);
    const first = await page(10);
    expect(first.items).toEqual(
      Array.from({ length: 10 }, (_, i) => `item ${i + 1}`),
    );
    expect(first.next).toBe(10);
    expect(rounds).toEqual([11]);
    const second = await page(10, first.next);
    expect(second.items[0]).toBe('item 11');
  });

  it('gives no next position when the last page is full and nothing follows', async () => {
    const { page } = numbers(20, () => true);
    expect((await page(10, 10)).next).toBeUndefined();
    expect((await page(10)).next).toBe(10);
  });

  it('reads on in growing rounds when rows are dropped, up to the largest round', async () => {
    const { page, rounds } = numbers(1000, n => n % 50 === 0);
    const result = await page(3);
    expect(result.items).toEqual(['item 50', 'item 100', 'item 150']);
    expect(result.next).toBe(150);
    expect(rounds).toEqual([4, 8, 16, 32, 40, 40, 40]);
  });

  it('starts with a larger round when asked to', async () => {
    const rounds: number[] = [];
    await fillPageInRounds<number, number, number>({
      limit: 10,
      after: undefined,
      firstRound: 21,
      maxRound: 40,
      read: async (_after, size) => {
        rounds.push(size);
        return Array.from({ length: size }, (_, i) => i + 1);
      },
      keep: async rows => rows.map(n => ({ row: n, item: n })),
      positionOf: n => n,
    });
    expect(rounds).toEqual([21]);
  });

  it('ends with what it found when the rows run out', async () => {
    const { page } = numbers(120, n => n % 50 === 0);
    expect(await page(5)).toEqual({
      items: ['item 50', 'item 100'],
      next: undefined,
    });
  });
});

describe('entity cursors', () => {
  it('round-trips an entity ref and refuses what it did not write', () => {
    const cursor = encodeEntityCursor('component:default/checkout');
    expect(decodeEntityCursor(cursor)).toBe('component:default/checkout');
    expect(decodeEntityCursor(undefined)).toBeUndefined();
    expect(() => decodeEntityCursor('not-a-cursor')).toThrow(InputError);
    expect(() =>
      decodeEntityCursor(encodeEntityCursor('').replace(/=+$/, '')),
    ).toThrow('is not a cursor of this list');
  });
});
