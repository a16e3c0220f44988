/**
 * Writes items in batches, one batch at a time ("group commit"): the items
 * submitted in one turn of the event loop are written together on the next,
 * and those submitted while a batch is being written wait for it and then
 * go together. Under load that turns many small transactions, each paying
 * its own commit and locks, into few larger ones, while a write that
 * arrives alone waits only for the rest of its turn.
 *
 * The turn matters on SQLite, whose driver writes synchronously: a batch
 * written at once would end before any other request was read, and every
 * write would go alone.
 *
 * A batch that fails is written again item by item, so that an item's
 * failure reaches only its own caller.
 */
export class WriteBatcher<Item, Outcome> {
  private readonly waiting: Array<{
    item: Item;
    resolve: (outcome: Outcome) => void;
    reject: (error: unknown) => void;
  }> = [];
  private writing = false;

  /**
   * @param write - writes a batch, all or nothing, and answers each item's
   *   outcome in the batch's order
   * @param limits - a batch holds items of at most `maxWeight` in total (an
   *   item heavier than that goes alone)
   */
  constructor(
    private readonly write: (items: Item[]) => Promise<Outcome[]>,
    private readonly limits: {
      weight: (item: Item) => number;
      maxWeight: number;
    },
  ) {}

  submit(item: Item): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.writeWaiting());
      }
    });
  }

  private async writeWaiting() {
    try {
      while (this.waiting.length > 0) {
        const batch = this.takeBatch();
        try {
          const outcomes = await this.write(batch.map(entry => entry.item));
          batch.forEach((entry, index) => entry.resolve(outcomes[index]));
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          for (const entry of batch) {
            await this.write([entry.item]).then(
              ([outcome]) => entry.resolve(outcome),
              entry.reject,
            );
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private takeBatch() {
    let weight = this.limits.weight(this.waiting[0].item);
    let count = 1;
    while (count < this.waiting.length) {
      const next = this.limits.weight(this.waiting[count].item);
      if (weight + next > this.limits.maxWeight) {
        break;
      }
      weight += next;
      count++;
    }
    return this.waiting.splice(0, count);
  }
}
