/**
 * Answers of the last few seconds, by key: a short memory for catalog
 * lookups, which are authenticated HTTP calls. An answer is forgotten after
 * `ttlMs`, and a failed one at once, so the next request asks again.
 */
export class RecentAnswers<T> {
  private readonly answers = new Map<
    string,
    { answer: Promise<T>; expiresAt: number }
  >();

  constructor(
    private readonly options: {
      ttlMs: number;
      maxSize: number;
      clock: () => number;
    },
  ) {}

  get(key: string): Promise<T> | undefined {
    const remembered = this.answers.get(key);
    return remembered && remembered.expiresAt > this.options.clock()
      ? remembered.answer
      : undefined;
  }

  remember(key: string, answer: Promise<T>): void {
    const now = this.options.clock();
    if (this.answers.size >= this.options.maxSize) {
      for (const [k, { expiresAt }] of this.answers) {
        if (expiresAt <= now) {
          this.answers.delete(k);
        }
      }
      if (this.answers.size >= this.options.maxSize) {
        this.answers.clear();
      }
    }
    const remembered = { answer, expiresAt: now + this.options.ttlMs };
    this.answers.set(key, remembered);
    answer.catch(() => {
      if (this.answers.get(key) === remembered) {
        this.answers.delete(key);
      }
    });
  }
}
