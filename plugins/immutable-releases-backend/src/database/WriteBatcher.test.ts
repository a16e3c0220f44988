import { WriteBatcher } from './WriteBatcher';

const nextTurn = () => new Promise(resolve => setImmediate(resolve));

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
    await nextTurn();
    while (pending.length > 0) {
      pending.shift()!();
      await nextTurn();
    }
  };
  return { write, batches, finishWrites };
}

describe('WriteBatcher', () => {
  const byOne = { weight: () => 1, maxWeight: 100 };

  it('writes the items submitted in one turn together on the next, and those that arrive meanwhile together after them', async () => {
    const { write, batches, finishWrites } = recordingWrite();
    const batcher = new WriteBatcher(write, byOne);

    const first = ['a', 'b'].map(item => batcher.submit(item));
    expect(batches).toEqual([]);
    await nextTurn();
    expect(batches).toEqual([['a', 'b']]);
    const later = ['c', 'd'].map(item => batcher.submit(item));
    await nextTurn();
    expect(batches).toEqual([['a', 'b']]);

    await finishWrites();
    expect(await Promise.all(first)).toEqual(['wrote a', 'wrote b']);
    expect(await Promise.all(later)).toEqual(['wrote c', 'wrote d']);
    expect(batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);

    const afterwards = batcher.submit('e');
    await finishWrites();
    expect(await afterwards).toBe('wrote e');
    expect(batches).toHaveLength(3);
  });

  it('batches the items of one turn when each write ends before the next item is read, as SQLite writes', async () => {
    const batches: string[][] = [];
    const batcher = new WriteBatcher(async (items: string[]) => {
      batches.push(items);
      return items;
    }, byOne);
    // Requests read in one turn submit their items one after another, each
    // after a few awaits of its own.
    const written = ['a', 'b', 'c'].map(async item => {
      await Promise.resolve();
      return batcher.submit(item);
    });
    expect(await Promise.all(written)).toEqual(['a', 'b', 'c']);
    expect(batches).toEqual([['a', 'b', 'c']]);
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
    expect(batches).toEqual([['x', 'aa'], ['bb', 'c'], ['dddddd'], ['e']]);
  });

  it('writes a failed batch again item by item, so that only the failing item is refused', async () => {
    const { write, batches, finishWrites } = recordingWrite(
      item => item === 'bad',
    );
    const batcher = new WriteBatcher(write, byOne);
    const written = ['a', 'bad', 'c'].map(item =>
      batcher.submit(item).catch((error: Error) => error.message),
    );
    await finishWrites();
    expect(await Promise.all(written)).toEqual([
      'wrote a',
      'cannot write bad',
      'wrote c',
    ]);
    expect(batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
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
