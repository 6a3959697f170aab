import { ZodError, z } from 'zod';
import { isCharged, standingOf, type UnitStanding } from '../core/unit-status.ts';
import type { Deps, Ports } from '../commons/deps.ts';
import type { PaymentRecord } from '../commons/records.ts';
import { JSON_CONTENT_TYPE } from '../commons/documents.ts';
import { NotFoundError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import { BatchWriter } from './batch-writer.ts';
import { collectionRows, type CollectionCounts } from './collection-file.ts';
import { headerProblem, readRows, type ReadPosition, type RowReader } from './csv-rows.ts';
import type { ImportError } from './csv-import.ts';
import { IMPORT_FILES, type ImportFile } from './import-files.ts';
import { KeyFilter } from './key-filter.ts';
import { RepeatGuard } from './repeat-guard.ts';
import { columnFor, payerFiles, payerRecord, renewalKey, renewals, RENEWAL_KEY_COLUMNS, type PayerFile } from './participant-import.ts';
import { reasonOf } from './row-reasons.ts';
import { correctionOutcome, markingOf } from '../core/correction.ts';
import { recordReversal } from '../steps/record-reversal.ts';
import { rosterFromText } from './roster-hook.ts';
import type { RosterSyncInput } from '../steps/sync-staff.ts';
import { recordRenewal } from '../steps/record-renewal.ts';
import { scheduleCycle } from '../steps/schedule-cycle.ts';

/**
 * The import of one file of a batch, in chunks: the bucket's files (`imports/<batch>/…`, the
 * sample folder's layout) are read from a byte offset on, row by row, with the same schemas and
 * reports as ever (csv-rows.ts, import-files.ts, participant-import.ts, collection-file.ts); a
 * chunk stops between two rows when asked (the Lambda's time is running out, or a test's row
 * count), writes what it holds, and leaves a checkpoint (line, byte offset, the header's columns)
 * on the file's run record, `RUN#<batch prefix>` / `IMPORT#<file>`. The next chunk goes on from
 * there. Memory does not grow with the file: rows are written in bounded batches, a file's kept
 * keys are a fixed-size filter (key-filter.ts, carried with the checkpoint: a key repeated in a
 * later chunk is refused as in the same one, repeat-guard.ts), errors go out in parts.
 *
 * The same version of a file imported again (its ETag; a folder's size and time) changes nothing:
 * its run record says it is done. Each file ends with its report, `reports/<batch>/<file>.json`
 * beside the upload, and the counts and first errors on the run record.
 */

export const IMPORTS_ROOT = 'imports/';
const REPORTS_ROOT = 'reports/';
const CHECKPOINTS_ROOT = 'checkpoints/';
/** Errors are written out in parts of this many, so a file of bad rows holds no more than this. */
const ERRORS_PER_PART = 10_000;
/** A report lists at most this many errors (the rest stay in their parts, which it names). */
const ERRORS_IN_REPORT = 100_000;
/** The run record keeps the first few errors (a DynamoDB item holds 400 KB). */
const ERRORS_ON_RECORD = 20;
/** Units whose employer profile was looked up, kept for the next rows (bounded: evicted oldest first). */
const KNOWN_UNITS_CACHE = 100_000;
/** Corrections listed by line on the run record and the report (an increment's are a few; all are counted). */
const CORRECTIONS_LISTED = 1_000;

/** The batch a key was uploaded in: `imports/<batch>/`; undefined for a key outside `imports/`. */
export function batchPrefixOf(key: string): string | undefined {
  return /^imports\/[^/]+\//.exec(key)?.[0];
}

/** The files of a batch in the order they load: a period needs its employer, a renewal its participant. */
export const LOAD_ORDER = [
  ...IMPORT_FILES.map((f) => f.file),
  'participants/collection-agents.csv', 'participants/participants.csv', 'participants/households.csv', 'participants/hi-cards.csv',
  'participants/renewal-targets.csv', 'participants/renewals.csv',
  // Collection files, any name, in name order: last, once every unit they pay for is loaded.
  'collections/',
] as const;

export interface BatchFile {
  /** The object's key. */
  key: string;
  /** Its path under the batch prefix (`employers.csv`, `participants/households.csv`). */
  name: string;
}

/** The CSV files under a batch prefix in load order; a name not in the order comes last (its report says so). */
export function planBatch(prefix: string, keys: readonly string[]): BatchFile[] {
  const rank = (name: string) => {
    const i = LOAD_ORDER.findIndex((n) => (n.endsWith('/') ? name.startsWith(n) && !name.slice(n.length).includes('/') : n === name));
    return i === -1 ? LOAD_ORDER.length : i;
  };
  return keys
    .filter((k) => k.startsWith(prefix) && /\.csv$/i.test(k))
    .map((key) => ({ key, name: key.slice(prefix.length) }))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

/** What is done with a file, told by its name. */
export type FileKind = 'ledger' | 'payers' | 'renewals' | 'collection' | 'unknown';

export function kindOf(name: string): FileKind {
  if (IMPORT_FILES.some((f) => f.file === name)) return 'ledger';
  if (name === 'participants/renewals.csv') return 'renewals';
  if (name.startsWith('participants/') && LOAD_ORDER.includes(name as never)) return 'payers';
  if (name.startsWith('collections/') && !name.slice('collections/'.length).includes('/')) return 'collection';
  return 'unknown';
}

export const reportKeyOf = (key: string) => `${REPORTS_ROOT}${key.startsWith(IMPORTS_ROOT) ? key.slice(IMPORTS_ROOT.length) : key}.json`;
const errorPartKey = (key: string, version: string, part: number) => `${reportKeyOf(key).replace(/\.json$/, '')}.errors/${safe(version)}-${String(part).padStart(5, '0')}.json`;
const stateKey = (key: string, version: string) => `${CHECKPOINTS_ROOT}${key}.${safe(version)}.state`;
const safe = (version: string) => version.replace(/[^A-Za-z0-9-]/g, '');

/** How a listed row differs from a plain one (FileRun.corrections). */
const ROW_NOTES = ['reversal', 'after-closing'] as const;
type RowNote = (typeof ROW_NOTES)[number];

const errorSchema = z.object({ file: z.string(), line: z.number(), key: z.string(), reason: z.string() });
const positionSchema = z.object({ line: z.number().int().nonnegative(), byte: z.number().int().nonnegative(), columns: z.array(z.string()) });

/** A file's run record: its version, where it stands, what it has loaded and refused. */
export const fileRunSchema = z.object({
  file: z.string(),
  key: z.string(),
  version: z.string(),
  status: z.enum(['running', 'done', 'superseded']),
  checkpoint: positionSchema.optional(),
  loaded: z.record(z.string(), z.number()),
  unknownUnits: z.object({ units: z.number(), rows: z.number() }),
  errorCount: z.number(),
  errorParts: z.number(),
  firstErrors: z.array(errorSchema),
  /**
   * Rows not loaded as a plain row is, by file, line and key: corrections applied (core/correction.ts;
   * `change` absent) and reversals, counted in `loaded.corrected` and `loaded.reversed`; periods after
   * their unit's closing month (`after-closing`: kept on record, not charged; `loaded.afterClosing`).
   * The first CORRECTIONS_LISTED.
   */
  corrections: z.array(z.object({ file: z.string(), line: z.number(), key: z.string(), change: z.enum(ROW_NOTES).optional() })).default([]),
  /** Invocations that worked on it. */
  chunks: z.number(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  report: z.string().optional(),
});
export type FileRun = z.infer<typeof fileRunSchema>;

/** The report beside each file: counts, and every bad row by file, line, key and reason (no value). */
export interface FileReport {
  file: string;
  key: string;
  version: string;
  loaded: Record<string, number>;
  unknownUnits: { units: number; rows: number };
  errorCount: number;
  errors: ImportError[];
  /** Correction rows applied (payments.csv, contribution-periods.csv), by file, line and key. */
  corrections: { file: string; line: number; key: string; change?: RowNote }[];
  /** When there were more errors than a report lists: the parts holding all of them. */
  errorParts?: string[];
  chunks: number;
  startedAt: string;
  finishedAt: string;
}

export const runKindOf = (name: string) => `IMPORT#${name}` as const;

export async function getFileRun(deps: Ports<'runs'>, prefix: string, name: string): Promise<FileRun | undefined> {
  const item = await deps.runs.getRunRecord(prefix, runKindOf(name));
  if (!item) return undefined;
  const parsed = fileRunSchema.safeParse(item);
  // A record this code cannot read is started over: the rows are idempotent, a repeat still reported.
  if (!parsed.success) {
    logger.warn('Unreadable import run record: the file is imported again', { prefix, file: name });
    return undefined;
  }
  return parsed.data;
}

export interface ChunkOptions {
  /** Stop between rows once this is true (the Lambda's time left); checked after each row. */
  shouldStop?: () => boolean;
  /** Stop after this many rows in this chunk (tests, the benchmark). */
  maxRows?: number;
  /** Told the number of rows of each batch written (progress). */
  onWritten?: (rows: number) => void;
}

export interface ChunkResult {
  file: string;
  key: string;
  version: string;
  status: 'done' | 'more' | 'already-imported' | 'superseded';
  rows: number;
  checkpoint?: ReadPosition;
  report?: string;
  /** officers.csv done: what the roster sync is told (steps/sync-staff.ts), ids only. */
  roster?: RosterSyncInput;
}

/** The ports a chunk may use: every file kind's (a collection file records payments as staff do). */
export type ImportDeps = Ports<
  'imports' | 'runs' | 'importMarks' | 'ledgers' | 'officers' | 'plans' | 'reconciliation' | 'reminders' | 'clock' | 'policyFor'
  | 'casework' | 'tasks' | 'claims' | 'workflow' | 'mailer'
>;

/**
 * One chunk of one file's import: from its checkpoint (or its start) until it ends or is told to
 * stop. The caller (the state machine, the local loop) calls again while the result is `more`.
 */
export async function importChunk(deps: ImportDeps, prefix: string, file: BatchFile, options: ChunkOptions = {}): Promise<ChunkResult> {
  const now = () => deps.clock.now().toISOString();
  const current = await deps.imports.stat(file.key);
  const previous = await getFileRun(deps, prefix, file.name);
  const base = { file: file.name, key: file.key };
  if (!current) return { ...base, version: previous?.version ?? '', status: 'superseded', rows: 0 };
  if (previous?.version === current.version && previous.status === 'done') {
    return { ...base, version: current.version, status: 'already-imported', rows: 0, ...(previous.report ? { report: previous.report } : {}) };
  }
  // Another version's record (a file uploaded again with changes) is started over from the top.
  const run: FileRun = previous?.version === current.version && previous.status === 'running' ? previous : {
    ...base, version: current.version, status: 'running', loaded: {}, unknownUnits: { units: 0, rows: 0 },
    errorCount: 0, errorParts: 0, firstErrors: [], corrections: [], chunks: 0, startedAt: now(), updatedAt: now(),
  };
  run.chunks += 1;
  const state = run.checkpoint ? await loadState(deps, file.key, run.version) : undefined;

  let buffered: ImportError[] = [];
  const flushErrors = async () => {
    if (buffered.length === 0) return;
    run.errorParts += 1;
    await deps.imports.put(errorPartKey(file.key, run.version, run.errorParts), JSON.stringify(buffered), JSON_CONTENT_TYPE);
    buffered = [];
  };
  let pendingFlush: Promise<void> = Promise.resolve();
  const fail = (line: number, key: string, reason: string) => {
    const error = { file: file.name, line, key, reason };
    run.errorCount += 1;
    if (run.firstErrors.length < ERRORS_ON_RECORD) run.firstErrors.push(error);
    buffered.push(error);
    if (buffered.length >= ERRORS_PER_PART) pendingFlush = pendingFlush.then(flushErrors);
  };

  let rows = 0;
  const processor = makeProcessor(deps, file, run, fail, state, current.size, options.onWritten);
  const shouldStop = () => (options.maxRows !== undefined && rows >= options.maxRows) || (options.shouldStop?.() ?? false);
  let stoppedAt: ReadPosition | undefined;
  try {
    const counted: RowReader = { ...processor, row: async (row, line) => { rows += 1; await processor.row(row, line); } };
    const source = (from: number) => deps.imports.read(file.key, run.version, from);
    stoppedAt = processor.reads ? (await readRows(source, fail, counted, { from: run.checkpoint, shouldStop })).stoppedAt : undefined;
    await processor.drain();
  } catch (error) {
    if ((error as Error).name === 'ObjectChangedError') {
      // Replaced while read: the new version has its own upload event and its own import.
      await deps.runs.putRunSummary(prefix, { ...run, status: 'superseded', updatedAt: now() }, runKindOf(file.name));
      return { ...base, version: run.version, status: 'superseded', rows };
    }
    throw error;
  }
  await pendingFlush;
  await flushErrors();
  run.loaded = processor.loaded;
  run.unknownUnits = { units: processor.refusedUnits.size, rows: run.unknownUnits.rows + processor.unknownRows };
  run.updatedAt = now();

  if (stoppedAt) {
    await saveState(deps, file.key, run.version, processor);
    run.checkpoint = { ...stoppedAt, columns: [...stoppedAt.columns] };
    await deps.runs.putRunSummary(prefix, run, runKindOf(file.name));
    return { ...base, version: run.version, status: 'more', rows, checkpoint: stoppedAt };
  }
  const { key: report, errors } = await writeReport(deps, run);
  const done: FileRun = { ...run, status: 'done', finishedAt: now(), report };
  delete done.checkpoint;
  await deps.runs.putRunSummary(prefix, done, runKindOf(file.name));
  const roster = await fileImported(deps, done, errors);
  return { ...base, version: run.version, status: 'done', rows, report, ...(roster ? { roster } : {}) };
}

/**
 * What follows a file's import, once per version, after its report: the one place where "this
 * file is in" is acted on. The roster (officers.csv) loaded is `officersLoaded`.
 */
async function fileImported(deps: ImportDeps, run: FileRun, errors: readonly ImportError[]): Promise<RosterSyncInput | undefined> {
  return run.file === 'officers.csv' ? officersLoaded(deps, run, errors) : undefined;
}

/**
 * The officers' roster is in the table: what the roster sync is to be told. The state machine
 * invokes the rosterSync function with it next (workflows/import-run.ts), so this function needs
 * no Cognito grant. A roster is hundreds of rows: the file is read whole once more, for its ids.
 */
export async function officersLoaded(deps: ImportDeps, run: FileRun, errors: readonly ImportError[]): Promise<RosterSyncInput | undefined> {
  const text = await deps.imports.getBytes(run.key);
  // Gone since (replaced: the new version has its own import and its own sync).
  if (!text) return undefined;
  const roster = rosterFromText(Buffer.from(text), run.file, errors);
  logger.info('Officers roster imported', { file: run.key, officers: roster.officerIds.length, refused: run.errorCount });
  return roster;
}

async function writeReport(deps: ImportDeps, run: FileRun): Promise<{ key: string; errors: ImportError[] }> {
  const errors: ImportError[] = [];
  const parts: string[] = [];
  for (let p = 1; p <= run.errorParts; p++) {
    const key = errorPartKey(run.key, run.version, p);
    parts.push(key);
    if (errors.length >= ERRORS_IN_REPORT) continue;
    const text = await deps.imports.get(key);
    if (text) errors.push(...z.array(errorSchema).parse(JSON.parse(text)).slice(0, ERRORS_IN_REPORT - errors.length));
  }
  const report: FileReport = {
    file: run.file, key: run.key, version: run.version, loaded: run.loaded, unknownUnits: run.unknownUnits,
    errorCount: run.errorCount, errors, corrections: run.corrections, ...(run.errorCount > errors.length ? { errorParts: parts } : {}),
    chunks: run.chunks, startedAt: run.startedAt, finishedAt: deps.clock.now().toISOString(),
  };
  const key = reportKeyOf(run.key);
  await deps.imports.put(key, JSON.stringify(report, null, 2), JSON_CONTENT_TYPE);
  return { key, errors };
}

export async function readReport(deps: Ports<'imports'>, key: string): Promise<FileReport | undefined> {
  const text = await deps.imports.get(key);
  return text ? (JSON.parse(text) as FileReport) : undefined;
}

/** What a chunk carries to the next one besides the checkpoint: the kept keys and the unknown units. */
interface ChunkState {
  filter?: KeyFilter;
  refusedUnits: string[];
}

// The filter and the rest are two objects: the filter's bytes are written and read as they are,
// never copied into a bigger buffer (a 32 MiB filter would otherwise be held two or three times).
const filterKey = (key: string, version: string) => `${stateKey(key, version)}.filter`;

async function loadState(deps: ImportDeps, key: string, version: string): Promise<ChunkState | undefined> {
  const text = await deps.imports.get(stateKey(key, version));
  if (!text) return undefined;
  const meta = z.object({ refusedUnits: z.array(z.string()), filter: z.boolean() }).parse(JSON.parse(text));
  const bytes = meta.filter ? await deps.imports.getBytes(filterKey(key, version)) : undefined;
  return { refusedUnits: meta.refusedUnits, ...(bytes ? { filter: KeyFilter.fromBytes(bytes) } : {}) };
}

async function saveState(deps: ImportDeps, key: string, version: string, processor: Processor): Promise<void> {
  if (processor.filter) await deps.imports.putBytes(filterKey(key, version), processor.filter.toBytes());
  await deps.imports.put(stateKey(key, version), JSON.stringify({ refusedUnits: [...processor.refusedUnits], filter: processor.filter !== undefined }), JSON_CONTENT_TYPE);
}

interface Processor extends RowReader {
  /** False for a file not read at all (not an import file). */
  reads: boolean;
  /** Writes what is held: after it every row handed over is in the store. */
  drain(): Promise<void>;
  /** Counts so far, this chunk's included. */
  loaded: Record<string, number>;
  refusedUnits: Set<string>;
  unknownRows: number;
  filter?: KeyFilter;
}

type Fail = (line: number, key: string, reason: string) => void;
/** A correction applied: reported by line and key (core/correction.ts). */
type Corrected = (line: number, key: string, change?: RowNote) => void;


function makeProcessor(deps: ImportDeps, file: BatchFile, run: FileRun, fail: Fail, state: ChunkState | undefined, size: number, onWritten?: (rows: number) => void): Processor {
  const loaded = { ...run.loaded };
  const base = { reads: true, loaded, refusedUnits: new Set(state?.refusedUnits ?? []), unknownRows: 0 };
  // The file's version, written on every item it loads; the keys it kept, carried with the checkpoint (repeat-guard.ts).
  const source = `${file.key}@${run.version}`;
  const filter = () => state?.filter ?? RepeatGuard.filterFor(size);
  switch (kindOf(file.name)) {
    case 'ledger':
      return ledgerProcessor(deps, IMPORT_FILES.find((f) => f.file === file.name)!, source, fail, base, filter(), (line, key, change) => {
        if (run.corrections.length < CORRECTIONS_LISTED) run.corrections.push({ file: file.name, line, key, ...(change ? { change } : {}) });
      }, onWritten);
    case 'payers':
      return payerProcessor(deps, payerFiles(deps as Deps, deps.clock.today()).find((f) => `participants/${f.spec.file}` === file.name)!, source, fail, base, filter());
    case 'renewals':
      return renewalProcessor(deps, source, fail, base, filter());
    case 'collection':
      return collectionProcessor(deps, source, fail, base, filter());
    case 'unknown':
      fail(1, '(file)', `not an import file (expected ${LOAD_ORDER.map((n) => (n.endsWith('/') ? `${n}*.csv` : n)).join(', ')}); not read`);
      return { ...base, reads: false, header: () => undefined, reportKey: () => '', row: async () => {}, drain: async () => {} };
  }
}

type Base = Pick<Processor, 'reads' | 'loaded' | 'refusedUnits' | 'unknownRows'>;

/** The employers' files and reconciliation's (import-files.ts): the first row of a key is kept, a repeat refused (repeat-guard.ts). */
function ledgerProcessor<T>(deps: ImportDeps, spec: ImportFile<T>, source: string, fail: Fail, base: Base, filter: KeyFilter, corrected: Corrected, onWritten?: (rows: number) => void): Processor {
  const count = spec.count;
  const { loaded } = base;
  const writer = new BatchWriter<T>((rows) => spec.write(deps, rows), (n) => {
    loaded[count] = (loaded[count] ?? 0) + n;
    onWritten?.(n);
  });
  const units = new KnownUnits(deps);
  const guard = new RepeatGuard(deps, source, filter, () => writer.end());
  const processor: Processor = {
    ...base,
    filter,
    header: (names) => headerProblem(spec.required, spec.optional, names),
    reportKey: spec.reportKey,
    row: async (row, line) => {
      const parsed = spec.schema.safeParse(spec.toRecord(row));
      if (!parsed.success) return fail(line, spec.reportKey(row), reasonOf(parsed.error.issues, row, spec.optional));
      const unit = spec.unitOf?.(parsed.data);
      // A ledger row of a unit the agency does not know would be followed up by nobody: refused.
      const known = unit === undefined ? undefined : await units.lookup(unit);
      if (known?.known === false) {
        processor.unknownRows += 1;
        processor.refusedUnits.add(unit!);
        return fail(line, spec.reportKey(row), 'unit_code is not a known unit (no employer row in this import or the store); not loaded');
      }
      // A period after its unit closed: kept (the unit may reopen), not charged (core/unit-status.ts), and said so.
      const period = spec.chargedPeriodOf?.(parsed.data);
      if (period !== undefined && !isCharged(period, known?.standing)) {
        loaded.afterClosing = (loaded.afterClosing ?? 0) + 1;
        corrected(line, spec.reportKey(row), 'after-closing');
      }
      let reversal = false;
      if (spec.figuresOf) {
        const marking = markingOf(row.correction);
        if (marking === undefined || (marking === 'reversal' && !spec.reversible)) {
          return fail(line, spec.reportKey(row), `correction must be true, false${spec.reversible ? ', reversal' : ''} or blank; not loaded`);
        }
        if (marking !== 'none') {
          // The corrected row may still be in a batch: written first, then read.
          await writer.end();
          const stored = await deps.importMarks.importedFrom(spec.rowKey(parsed.data));
          const outcome = correctionOutcome(marking, stored?.figures, spec.figuresOf(parsed.data));
          if (outcome.kind === 'refused') return fail(line, spec.reportKey(row), outcome.reason);
          // The same row read again after a crash (the stored item is its own) is applied again: its
          // count and, a reversal, its history event (recorded once) are not lost with the crash.
          const replayed = stored?.importSource === source && stored.importLine === line;
          if (outcome.kind === 'unchanged' && !replayed) {
            loaded.correctionsUnchanged = (loaded.correctionsUnchanged ?? 0) + 1;
            return;
          }
          reversal = outcome.kind === 'reversed' || (replayed && marking === 'reversal');
          if (reversal) loaded.reversed = (loaded.reversed ?? 0) + 1;
          else loaded.corrected = (loaded.corrected ?? 0) + 1;
          corrected(line, spec.reportKey(row), reversal ? 'reversal' : undefined);
        }
      }
      const rowKey = spec.rowKey(parsed.data);
      const repeat = await guard.refusal(rowKey, line, spec.keyColumns);
      if (repeat) return fail(line, spec.reportKey(row), repeat);
      if (!reversal) return writer.add(RepeatGuard.keyOf(rowKey), { ...parsed.data, ...guard.provenance(line) });
      // A reversal is written at once, then the unit's history says so (steps/record-reversal.ts).
      await writer.add(RepeatGuard.keyOf(rowKey), { ...parsed.data, reversedOn: deps.clock.today(), ...guard.provenance(line) });
      await writer.end();
      await recordReversal(deps, { payment: parsed.data as PaymentRecord, source, line, actor: `import:${spec.file}` });
    },
    drain: () => writer.end(),
  };
  return processor;
}

/**
 * Participants, households, cards, agents, renewal targets: the first row of a key is kept, a
 * repeat refused (repeat-guard.ts); written in batches, each batch's payers scheduled in the reminder index.
 */
function payerProcessor<T>(deps: ImportDeps, file: PayerFile<T>, source: string, fail: Fail, base: Base, filter: KeyFilter): Processor {
  const { spec } = file;
  const today = deps.clock.today();
  const { loaded } = base;
  const writer = new BatchWriter<T>(async (rows) => {
    await file.write(deps as Deps, rows);
    if (!file.payerOf) return;
    const payers = new Map(rows.map((r) => file.payerOf!(r)).map((p) => [`${p.kind}#${p.code}`, p]));
    for (const { kind, code } of payers.values()) {
      if ((await scheduleCycle(deps, kind, code, today))?.next !== undefined) loaded.scheduled = (loaded.scheduled ?? 0) + 1;
    }
  }, (n) => { loaded[file.count] = (loaded[file.count] ?? 0) + n; });
  const guard = new RepeatGuard(deps, source, filter, () => writer.end());
  return {
    ...base,
    filter,
    header: (names) => headerProblem(spec.required, spec.optional, names),
    reportKey: spec.reportKey,
    row: async (row, line) => {
      const record = payerRecord(spec, row, line, fail);
      if (record === undefined) return;
      const rowKey = file.rowKey(record);
      const repeat = await guard.refusal(rowKey, line, file.keyColumns);
      if (repeat) return fail(line, spec.reportKey(row), repeat);
      await writer.add(RepeatGuard.keyOf(rowKey), { ...record, ...guard.provenance(line) });
    },
    drain: () => writer.end(),
  };
}

/** Renewals, one at a time in file order, through the renewal step (once per reference); a repeat within the file refused (repeat-guard.ts). */
function renewalProcessor(deps: ImportDeps, source: string, fail: Fail, base: Base, filter: KeyFilter): Processor {
  const { loaded } = base;
  const guard = new RepeatGuard(deps, source, filter);
  return {
    ...base,
    filter,
    header: (names) => headerProblem(renewals.required, renewals.optional, names),
    reportKey: renewals.reportKey,
    row: async (row, line) => {
      const parsed = renewals.schema.safeParse(renewals.toRecord(row));
      if (!parsed.success) return fail(line, renewals.reportKey(row), reasonOf(parsed.error.issues, row, renewals.optional, columnFor));
      const repeat = await guard.refusal(renewalKey(parsed.data), line, RENEWAL_KEY_COLUMNS, 'not recorded');
      if (repeat) return fail(line, renewals.reportKey(row), repeat);
      try {
        const r = await recordRenewal(deps, { ...parsed.data, actor: 'import:renewals-file', provenance: guard.provenance(line) });
        const count = r.outcome === 'recorded' ? 'renewals' : 'renewalsDuplicate';
        loaded[count] = (loaded[count] ?? 0) + 1;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        fail(line, renewals.reportKey(row), 'code is not a known participant or household; not recorded');
      }
    },
    drain: async () => {},
  };
}

/** A bank's or a post office's collection file: each payment through the record-payment step; a repeat within the file refused (repeat-guard.ts). */
function collectionProcessor(deps: ImportDeps, source: string, fail: Fail, base: Base, filter: KeyFilter): Processor {
  const { loaded } = base;
  const counts: CollectionCounts = { recorded: loaded.recorded ?? 0, duplicate: loaded.duplicate ?? 0, amountRecorded: loaded.amountRecorded ?? 0, escalationsEnded: loaded.escalationsEnded ?? 0 };
  const reader = collectionRows(deps as Deps, fail, counts, { today: deps.clock.today(), known: new Map(), guard: new RepeatGuard(deps, source, filter) });
  return {
    ...base,
    filter,
    ...reader,
    row: async (row, line) => {
      await reader.row(row, line);
      Object.assign(loaded, counts);
    },
    drain: async () => { Object.assign(loaded, counts); },
  };
}

/** Whether a unit has an employer profile in the store, remembered for the next rows (a bounded number of units). */
class KnownUnits {
  private readonly known = new Map<string, KnownUnit>();
  constructor(private readonly deps: Ports<'ledgers'>) {}

  /** Whether the unit has an employer row, and its standing (closed, suspended) when it has one. */
  async lookup(unitCode: string): Promise<KnownUnit> {
    const cached = this.known.get(unitCode);
    if (cached !== undefined) return cached;
    let found: KnownUnit;
    try {
      const employer = await this.deps.ledgers.getEmployer(unitCode);
      found = employer === undefined ? { known: false } : { known: true, standing: standingOf(employer.status, employer.statusDate) };
    } catch (error) {
      // A stored profile that does not validate is still the unit's: the unit is known.
      if (!(error instanceof ZodError)) throw error;
      found = { known: true };
    }
    if (this.known.size >= KNOWN_UNITS_CACHE) this.known.delete(this.known.keys().next().value!);
    this.known.set(unitCode, found);
    return found;
  }
}

interface KnownUnit {
  known: boolean;
  standing?: UnitStanding | undefined;
}
