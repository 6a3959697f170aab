import type { Ports } from '../commons/deps.ts';
import type { ImportedRowKey, ImportProvenance } from '../commons/store.ts';
import { importedItemKey } from '../commons/table.ts';
import { repeatedKey } from './csv-rows.ts';
import { KeyFilter } from './key-filter.ts';

/**
 * The one rule for a key repeated within a file, for every import file (the employer files and
 * reconciliation's, file-import.ts; the participant files, there and participant-import.ts; the
 * renewals and the collection files, recorded one row at a time through their steps):
 *
 * - the first row with a key is loaded, and written with its provenance (`importSource`, the file's
 *   version; `importLine`, its line);
 * - each later row of the same file with that key is refused, reported with its file, line and key
 *   and a reason naming the line kept ("si_code repeats line 12 (the row kept); not loaded"; a
 *   renewal or a payment of a collection file: "...; not recorded"),
 *   even when the two rows are byte for byte the same: a line exported twice is a fault of the
 *   export worth knowing, the first row is not held to compare with, and the rule stays one rule;
 * - the loaded counts are the rows written, so a refused repeat is in the errors and not in them
 *   (a renewal or payment recorded before, by staff or another file, is still counted as a duplicate).
 *
 * Memory stays fixed whatever the file's size: the keys kept are a Bloom filter (key-filter.ts, 10
 * bits a key, at most 32 MiB), carried from chunk to chunk with the checkpoint, so a repeat in a
 * later chunk is still caught. A key the filter may have seen is settled exactly by the stored
 * item's provenance (one consistent read, after the rows still held in a batch are written):
 * from this version of the file at an earlier line, the row is a repeat; at its own line, it is
 * the same row read again after a crash (written again, the same); from elsewhere (another file,
 * an earlier version, staff), it is this file's first row of the key. A file imported again at
 * the same version is not read at all (its run record says done); a new version is a new source,
 * so its rows replace the old ones and only its own repeats are reported.
 *
 * Keys are the table's (functions/commons/table.ts `importedItemKey`), the item a row writes.
 */
export class RepeatGuard {
  constructor(
    private readonly deps: Ports<'importMarks'>,
    /** The file's version: `<key>@<version>`. */
    private readonly source: string,
    readonly filter: KeyFilter,
    /** Writes every row handed over so far (a kept row may still be in a batch); none for a file written row by row. */
    private readonly settle: () => Promise<void> = async () => {},
  ) {}

  /** A filter for a file of about this many bytes (rows of a few dozen bytes and up). */
  static filterFor(bytes: number): KeyFilter {
    return KeyFilter.sized(bytes / 20);
  }

  /** The key a batch of writes is deduplicated by: the item's, as the table makes it. */
  static keyOf(row: ImportedRowKey): string {
    const { pk, sk } = importedItemKey(row);
    return `${pk}\n${sk}`;
  }

  /**
   * Undefined when this row is the first of its key in the file: it is kept, and the caller writes
   * it with `provenance(line)`. Otherwise the reason it is refused (`keyColumns` name the key).
   */
  async refusal(row: ImportedRowKey, line: number, keyColumns: string, outcome = 'not loaded'): Promise<string | undefined> {
    const key = RepeatGuard.keyOf(row);
    if (this.filter.mightHave(key)) {
      await this.settle();
      const mark = await this.deps.importMarks.importedFrom(row);
      if (mark && mark.importSource === this.source && mark.importLine < line) return repeatedKey(keyColumns, mark.importLine, outcome);
    }
    this.filter.add(key);
    return undefined;
  }

  provenance(line: number): ImportProvenance {
    return { importSource: this.source, importLine: line };
  }
}
