import { RecentAnswers } from './RecentAnswers';

describe('RecentAnswers', () => {
  function memory(maxSize = 10) {
    let now = 0;
    const answers = new RecentAnswers<string>({
      ttlMs: 5_000,
      maxSize,
      clock: () => now,
    });
    return { answers, advance: (ms: number) => (now += ms) };
  }

  it('answers from memory until the answer is older than the time to live', async () => {
    const { answers, advance } = memory();
    answers.remember('a', Promise.resolve('first'));
    advance(4_999);
    await expect(answers.get('a')).resolves.toBe('first');
    advance(1);
    expect(answers.get('a')).toBeUndefined();
  });

  it('forgets a failed answer at once, but not a newer one under the same key', async () => {
    const { answers } = memory();
    const failure = Promise.reject(new Error('catalog down'));
    answers.remember('a', failure);
    await expect(failure).rejects.toThrow('catalog down');
    expect(answers.get('a')).toBeUndefined();

    let fail: (error: Error) => void = () => {};
    const slowFailure = new Promise<string>((_, reject) => (fail = reject));
    answers.remember('b', slowFailure);
    answers.remember('b', Promise.resolve('newer'));
    fail(new Error('late'));
    await expect(slowFailure).rejects.toThrow('late');
    await expect(answers.get('b')).resolves.toBe('newer');
  });

  it('stays within its size: expired answers go first, then all', async () => {
    const { answers, advance } = memory(2);
    answers.remember('a', Promise.resolve('a'));
    advance(6_000);
    answers.remember('b', Promise.resolve('b'));
    answers.remember('c', Promise.resolve('c'));
    await expect(answers.get('b')).resolves.toBe('b');
    answers.remember('d', Promise.resolve('d'));
    expect(answers.get('b')).toBeUndefined();
    await expect(answers.get('d')).resolves.toBe('d');
  });
});
