import { fetchNonEmptyPage } from './fetchNonEmptyPage';

describe('fetchNonEmptyPage', () => {
  it('follows the cursor past empty pages to the first with something on it', async () => {
    const fetchPage = jest.fn(async (cursor: string | undefined) =>
      cursor === 'c3'
        ? { items: ['shop'], nextCursor: 'c4' }
        : { items: [], nextCursor: cursor ? 'c3' : 'c2' },
    );
    await expect(fetchNonEmptyPage(fetchPage, undefined)).resolves.toEqual({
      items: ['shop'],
      nextCursor: 'c4',
    });
    expect(fetchPage.mock.calls.map(([cursor]) => cursor)).toEqual([
      undefined,
      'c2',
      'c3',
    ]);
  });

  it('stops at the last page, empty or not', async () => {
    const fetchPage = jest.fn(async () => ({ items: [], nextCursor: null }));
    await expect(fetchNonEmptyPage(fetchPage, 'c1')).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it('gives up after a few requests and answers the empty page with its cursor', async () => {
    let next = 0;
    const fetchPage = jest.fn(async () => ({
      items: [],
      nextCursor: `c${++next}`,
    }));
    await expect(fetchNonEmptyPage(fetchPage, undefined, 3)).resolves.toEqual({
      items: [],
      nextCursor: 'c3',
    });
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });
});
