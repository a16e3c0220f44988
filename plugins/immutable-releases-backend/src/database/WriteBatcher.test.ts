import { WriteBatcher } from './WriteBatcher';

/** A write that records its batches and ends when the test lets it. */
function recordingWrite(fails: (item: string) => boolean = () => false) {
  const batches: string[][] = [];
  const pending: Array<() => void> = [];
  const write = (items: string[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve, reject) => {
      pending.push(() =>
        items.some(fails)
          ? reject(new Error(`cannot write ${items.filter(fails).join(', ')}`))
          : resolve(items.map(item => `wrote ${item}`)),
      );
    });
  };
  /** Ends every write started so far, and lets the batcher start the next. */
  const finishWrites = async () => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise(resolve => setImmediate(resolve));
    }
  };
  return { write, batches, finishWrites };
}

describe('WriteBatcher', () => {
  const byOne = { weight: () => 1, maxWeight: 100 };

  it('writes an item that arrives alone at once, and those that arrive meanwhile together next', async () => {
    const { write, batches, finishWrites } = recordingWrite();
    const batcher = new WriteBatcher(write, byOne);

    const first = batcher.submit('a');
    expect(batches).toEqual([['a']]);
    const later = ['b', 'c', 'd'].map(item => batcher.submit(item));
    expect(batches).toEqual([['a']]);

    await finishWrites();
    expect(await first).toBe('wrote a');
    expect(await Promise.all(later)).toEqual(['wrote b', 'wrote c', 'wrote d']);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);

    const afterwards = batcher.submit('e');
    expect(batches).toHaveLength(3);
    await finishWrites();
    expect(await afterwards).toBe('wrote e');
  });

  it('keeps each batch within the weight limit, and lets an item heavier than the limit go alone', async () => {
    const { write, batches, finishWrites } = recordingWrite();
    const batcher = new WriteBatcher(write, {
      weight: (item: string) => item.length,
      maxWeight: 4,
    });
    const written = ['x', 'aa', 'bb', 'c', 'dddddd', 'e'].map(item =>
      batcher.submit(item),
    );
    await finishWrites();
    await Promise.all(written);
    expect(batches).toEqual([['x'], ['aa', 'bb'], ['c'], ['dddddd'], ['e']]);
  });

  it('writes a failed batch again item by item, so that only the failing item is refused', async () => {
    const { write, batches, finishWrites } = recordingWrite(
      item => item === 'bad',
    );
    const batcher = new WriteBatcher(write, byOne);
    const first = batcher.submit('a');
    const others = ['b', 'bad', 'c'].map(item =>
      batcher.submit(item).catch((error: Error) => error.message),
    );
    await finishWrites();
    expect(await first).toBe('wrote a');
    expect(await Promise.all(others)).toEqual([
      'wrote b',
      'cannot write bad',
      'wrote c',
    ]);
    expect(batches).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });

  it('refuses an item written alone with its own error, and goes on with the next', async () => {
    const { write, finishWrites } = recordingWrite(item => item === 'bad');
    const batcher = new WriteBatcher(write, byOne);
    const bad = batcher.submit('bad').catch((error: Error) => error.message);
    await finishWrites();
    expect(await bad).toBe('cannot write bad');
    const good = batcher.submit('good');
    await finishWrites();
    expect(await good).toBe('wrote good');
  });
});
