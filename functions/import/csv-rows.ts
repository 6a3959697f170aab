import { createReadStream } from 'node:fs';

/**
 * Reads one CSV file row by row, by column name, for every import (the agency's exports and the
 * collection files): numbers each row by the editor line it starts on, checks the header once and
 * refuses rows with the wrong number of fields. A broken row costs that row only: a line that is
 * not UTF-8 or is over-long, and a quote left open (reported with the lines it would swallow,
 * which are then read as rows of their own). Problems are reported with line and key; no cell
 * value is ever repeated (values can be personal data). The file is streamed, so memory does not
 * grow with its size.
 */

/** A row by column name: cells trimmed, a blank cell is undefined. */
export type Row = Readonly<Record<string, string | undefined>>;

export type Fail = (line: number, key: string, reason: string) => void;

export interface RowReader {
  /** Checks the header (lower-cased, trimmed names); a problem stops the file (`; file not imported` is added). */
  header(names: readonly string[]): string | undefined;
  /** Identifies a row in an error report; only values that pass their own format are shown. */
  reportKey(row: Row): string;
  row(row: Row, line: number): Promise<void>;
}

/** A longer line is skipped unread (a record of these files is a few hundred bytes). */
export const MAX_LINE_BYTES = 64 * 1024;
/** A quoted value may hold line breaks, up to this many lines and characters in one record. */
export const MAX_RECORD_LINES = 100;
const MAX_RECORD_CHARS = 64 * 1024;

interface Line {
  /** 1-based, as an editor numbers it. */
  n: number;
  /** The byte offset in the file just past this line (its LF included). */
  end: number;
  /** Without its line end; decoded with replacement characters when it is not UTF-8. */
  text: string;
  problem?: 'not-utf8' | 'too-long';
}

/** The bytes of a file from an offset on, in chunks (a file read from there, an S3 GetObject with a Range). */
export type ByteSource = (fromByte: number) => AsyncIterable<Uint8Array>;

/** Where a read of a file stands between two rows: resumed from here, it reads every later row once. */
export interface ReadPosition {
  /** The last line read (the header is line 1); the next row starts on a later line. */
  line: number;
  /** The byte offset just past that line. */
  byte: number;
  /** The header's column names (lower-cased), so a resumed read needs not see the header again. */
  columns: readonly string[];
}

export interface ReadOptions {
  /** Go on from here (a checkpoint) instead of the file's start. */
  from?: ReadPosition | undefined;
  /**
   * Asked between rows, where no line is held back for reading again: true stops the read there
   * and readRows returns that position (to resume from).
   */
  shouldStop?: (() => boolean) | undefined;
}

/** Reads a local file, from an offset on. */
export const fileSource = (path: string): ByteSource => (fromByte) => createReadStream(path, { start: fromByte }) as AsyncIterable<Buffer>;

/** Reads the rows of a file (a path, or any byte source); returns where it stopped when `shouldStop` said so. */
export async function readRows(path: string | ByteSource, fail: Fail, reader: RowReader, options: ReadOptions = {}): Promise<{ stoppedAt?: ReadPosition }> {
  const from = options.from;
  const source = typeof path === 'string' ? fileSource(path) : path;
  const lines = linesOf(source(from?.byte ?? 0), from?.line ?? 0, from?.byte ?? 0)[Symbol.asyncIterator]();
  // Lines read past a quote that did not close, to be read again as rows of their own.
  const again: Line[] = [];
  // The last line taken from the file: a read stopped with nothing held back resumes after it.
  let pulled: { n: number; end: number } = { n: from?.line ?? 0, end: from?.byte ?? 0 };
  const next = async (): Promise<Line | undefined> => {
    const pending = again.shift();
    if (pending) return pending;
    const r = await lines.next();
    if (r.done) return undefined;
    pulled = r.value;
    return r.value;
  };
  let columns: string[] | undefined = from ? [...from.columns] : undefined;
  const rowOf = (record: readonly string[]): Row => {
    const row: Record<string, string | undefined> = {};
    columns!.forEach((column, i) => {
      const cell = record[i]?.trim();
      row[column] = cell === '' ? undefined : cell;
    });
    return row;
  };
  const keyOf = (text: string) => (columns ? reader.reportKey(rowOf(fieldsOfLine(text))) : '(header)');
  /** A problem with the header line stops the file; with any other line, that row. */
  const refuse = (at: Line, key: string, problem: string, after = ''): boolean => {
    if (columns) {
      fail(at.n, key, `${problem}; not loaded${after}`);
      return false;
    }
    fail(at.n, '(header)', `${problem}; file not imported`);
    return true;
  };

  try {
    for (;;) {
      if (columns && again.length === 0 && options.shouldStop?.()) return { stoppedAt: { line: pulled.n, byte: pulled.end, columns } };
      const first = await next();
      if (!first) break;
      if (first.problem === 'too-long') {
        if (refuse(first, '(unread)', `line is longer than ${MAX_LINE_BYTES / 1024} KiB`)) return {};
        continue;
      }
      if (first.problem === 'not-utf8') {
        if (refuse(first, keyOf(first.text), 'is not UTF-8 text (save the file as UTF-8)')) return {};
        continue;
      }
      if (first.text.trim() === '') continue;

      const parser = new RecordParser();
      const taken = [first];
      let chars = first.text.length;
      let state = parser.feed(first.text);
      while (state === 'open' && taken.length < MAX_RECORD_LINES && chars <= MAX_RECORD_CHARS) {
        const more = await next();
        if (!more) break;
        taken.push(more);
        if (more.problem) break;
        chars += more.text.length;
        state = parser.feed(more.text);
      }
      const last = taken.at(-1)!;
      const spans = taken.length > 1;
      const record = parser.fields;
      // A value over several lines stands only if its quote closes cleanly into a row of the
      // header's width; otherwise the quote is taken as left open and the lines after it are read again.
      if (state === 'open' || last.problem !== undefined || (spans && (parser.junk || (columns !== undefined && record.length !== columns.length)))) {
        again.unshift(...taken.slice(1));
        const swallowed = spans ? `it would swallow line${taken.length > 2 ? 's' : ''} ${taken[1]!.n}${taken.length > 2 ? `–${last.n}` : ''}` : 'the file ends first';
        const after = spans ? ', the lines after it are read as rows of their own' : '';
        if (refuse(first, keyOf(first.text), `a quote opened in this row is not closed (${swallowed})`, after)) return {};
        continue;
      }
      if (parser.junk) {
        if (refuse(first, keyOf(first.text), 'a closing quote is followed by other text (a quote inside a quoted value is written twice: "")')) return {};
        continue;
      }
      if (!columns) {
        const names = record.map(columnName);
        const problem = reader.header(names);
        if (problem) {
          fail(first.n, '(header)', `${problem}; file not imported`);
          return {};
        }
        columns = names;
        continue;
      }
      const row = rowOf(record);
      if (record.length !== columns.length) {
        fail(first.n, reader.reportKey(row), `row has ${record.length} fields but the header has ${columns.length} (a comma in an unquoted value?)`);
        continue;
      }
      await reader.row(row, first.n);
    }
  } finally {
    await lines.return?.(undefined);
  }
  if (!columns) fail(1, '(header)', 'header row missing (the file is empty); file not imported');
  return {};
}

/** The lines of a file as bytes split on LF (a CR before it dropped), each checked to be UTF-8, numbered on from `line`. */
async function* linesOf(chunks: AsyncIterable<Uint8Array>, line: number, byte: number): AsyncGenerator<Line> {
  const atStart = byte === 0;
  const strict = new TextDecoder('utf-8', { fatal: true });
  const lossy = new TextDecoder('utf-8');
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let n = line;
  let offset = byte;
  const push = (piece: Buffer) => {
    if (tooLong || piece.length === 0) return;
    if (size + piece.length > MAX_LINE_BYTES) {
      // Skipped unread up to its end: memory stays bounded whatever the line holds.
      tooLong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(piece);
    size += piece.length;
  };
  const finish = (end: number): Line => {
    n += 1;
    let bytes = Buffer.concat(parts, size);
    const long = tooLong;
    parts = [];
    size = 0;
    tooLong = false;
    if (long) return { n, end, text: '', problem: 'too-long' };
    if (atStart && n === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (bytes.at(-1) === 0x0d) bytes = bytes.subarray(0, -1);
    try {
      return { n, end, text: strict.decode(bytes) };
    } catch {
      return { n, end, text: lossy.decode(bytes), problem: 'not-utf8' };
    }
  };
  for await (const piece of chunks) {
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let start = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, start)) {
      push(chunk.subarray(start, i));
      yield finish(offset + i + 1);
      start = i + 1;
    }
    push(chunk.subarray(start));
    offset += chunk.length;
  }
  if (size > 0 || tooLong) yield finish(offset);
}

/**
 * One record, fed a line at a time: comma-separated fields, a field quoted when it starts with a
 * quote (a quote inside it written twice), so it may hold commas and line breaks; a quote inside
 * an unquoted field is kept as it is.
 */
class RecordParser {
  readonly fields: string[] = [];
  /** Text between a closing quote and the next comma. */
  junk = false;
  private field = '';
  private state: 'start' | 'plain' | 'quoted' | 'quote' | 'after' = 'start';
  private lines = 0;

  /** `open` while a quoted value runs on past the end of the line. */
  feed(text: string): 'done' | 'open' {
    if (this.lines++ > 0) this.field += '\n';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      switch (this.state) {
        case 'start':
          if (c === '"') this.state = 'quoted';
          else if (c === ',') this.fields.push('');
          else {
            this.field = c;
            this.state = 'plain';
          }
          break;
        case 'plain':
        case 'after':
          if (c === ',') this.endField();
          else this.field += c;
          break;
        case 'quoted':
          if (c === '"') this.state = 'quote';
          else this.field += c;
          break;
        case 'quote':
          if (c === '"') {
            this.field += '"';
            this.state = 'quoted';
          } else if (c === ',') this.endField();
          else {
            this.junk = true;
            this.field += c;
            this.state = 'after';
          }
          break;
      }
    }
    if (this.state === 'quoted') return 'open';
    this.fields.push(this.field);
    return 'done';
  }

  /** The value being read (of a quote still open: up to the end of the lines fed). */
  get partial(): string {
    return this.field;
  }

  private endField() {
    this.fields.push(this.field);
    this.field = '';
    this.state = 'start';
  }
}

/** The fields of one line read alone (an open quote runs to its end), to name the row in a report. */
function fieldsOfLine(text: string): string[] {
  const parser = new RecordParser();
  if (parser.feed(text) === 'open') return [...parser.fields, parser.partial];
  return parser.fields;
}

const columnName = (header: string) => header.trim().toLowerCase();

/** What is wrong with a header for a file of these columns, or undefined when nothing is. */
export function headerProblem(required: readonly string[], optional: readonly string[], names: readonly string[]): string | undefined {
  const known = [...required, ...optional];
  // No known column at all: the first line is data, and data may be personal: do not repeat it.
  if (!names.some((n) => known.includes(n))) return `first line is not a header row (expected columns ${required.join(', ')})`;
  const missing = required.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !known.includes(n));
  const repeated = names.filter((n, i) => known.includes(n) && names.indexOf(n) !== i);
  const problems = [
    missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown column(s) ${listedColumns(unknown)}` : '',
    repeated.length > 0 ? `repeated column(s) ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Column names as they may be shown: a name that does not look like one could be data. */
export const listedColumns = (cols: readonly string[]) =>
  cols.map((c) => (c === '' ? '(blank)' : /^[a-z0-9_ -]{1,40}$/.test(c) ? c : '(unreadable name)')).join(', ');

/** The reason of a row refused because an earlier row of the file has its key. */
export const repeatedKey = (what: string, keptLine: number, outcome = 'not loaded') => `${what} repeat${/ and |, /.test(what) ? '' : 's'} line ${keptLine} (the row kept); ${outcome}`;
