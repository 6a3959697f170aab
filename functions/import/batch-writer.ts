/**
 * Writes keyed rows in batches, a few batches in flight at once, so an import of millions of rows
 * holds at most `size × (parallel + 1)` rows in memory. Rows with the same key: the last one wins,
 * within a batch (replaced before it is sent) and across batches (a batch holding a key that an
 * earlier batch is still writing waits for that write, so writes of one key land in file order).
 * An import never hands it a repeated key of a file (repeat-guard.ts refuses those first): only the
 * same row read again after a crash, which replaces itself.
 */
export class BatchWriter<T> {
  private pending = new Map<string, T>();
  private readonly writes = new Set<Promise<void>>();
  private readonly keysInFlight = new Set<string>();
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly onWritten: (rows: number) => void,
    private readonly size = 500,
    private readonly parallel = 8,
  ) {}

  async add(key: string, row: T): Promise<void> {
    this.pending.set(key, row);
    if (this.pending.size >= this.size) await this.flush();
  }

  /** Sends what is pending and waits for every write; throws the first write failure. */
  async end(): Promise<void> {
    await this.flush();
    await this.drain();
  }

  private async flush(): Promise<void> {
    this.throwIfFailed();
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    if (keys.some((k) => this.keysInFlight.has(k))) await this.drain();
    while (this.writes.size >= this.parallel) await Promise.race(this.writes);
    this.throwIfFailed();

    for (const k of keys) this.keysInFlight.add(k);
    const rows = [...batch.values()];
    const done: Promise<void> = this.write(rows)
      .then(() => this.onWritten(rows.length))
      // Kept, not thrown here: the next add() or end() throws it, so no failure goes unseen.
      .catch((error: unknown) => { this.failure ??= { error }; })
      .finally(() => {
        this.writes.delete(done);
        for (const k of keys) this.keysInFlight.delete(k);
      });
    this.writes.add(done);
  }

  private async drain(): Promise<void> {
    await Promise.all(this.writes);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
