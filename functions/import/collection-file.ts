import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { isValidDate, type IsoDate } from '../core/dates.ts';
import { formatVnd } from '../core/money.ts';
import { paymentSchema, unitCodeSchema, type PaymentRecord } from '../commons/records.ts';
import type { Deps } from '../commons/deps.ts';
import { PaymentConflictError } from '../commons/errors.ts';
import { FolderImportBucket } from '../commons/documents.ts';
import { RepeatGuard } from './repeat-guard.ts';
import { recordPayment } from '../steps/record-payment.ts';
import { headerProblem, readRows, type Row, type RowReader } from './csv-rows.ts';
import { moneyText, shown } from './import-files.ts';
import { reasonOf } from './row-reasons.ts';
import type { ImportError } from './csv-import.ts';

/**
 * Import of collection files: the money the bank and the post offices collected for the agency
 * (format: data/sample/README.md "Collection files"). Each row becomes a PaymentRecord and is
 * recorded through the record-payment step, exactly as a payment entered by staff: once per
 * reference, the employer confirmed, and a cleared debt ends the escalation at once. So the same
 * file imported again records and sends nothing. Bad rows are reported like the folder import's
 * (file, line, key, column and rule, never a value) and every good row is still recorded.
 */

export const COLLECTION_FORMATS = ['bank', 'post-office'] as const;
export type CollectionFormatName = (typeof COLLECTION_FORMATS)[number];

interface CollectionFormat {
  name: CollectionFormatName;
  /** How the format is named in a header error. */
  label: string;
  /** Stored references get this prefix: a bank's and a post office's numbering may overlap. */
  referencePrefix: string;
  /** The file's column of each PaymentRecord field. */
  columns: Record<Exclude<keyof PaymentRecord, 'reversedOn'>, string>;
  /** Columns read only to be accepted: never stored, never shown (a narrative can name people). */
  ignored: readonly string[];
  /** `paidOn` as written in the file, to a calendar date (or the text as is, refused by the schema). */
  dateRule: { pattern: RegExp; toIso(m: RegExpExecArray): string; message: string };
}

const pad = (n: string | undefined) => (n ?? '').padStart(2, '0');

const BANK: CollectionFormat = {
  name: 'bank',
  label: 'bank file',
  referencePrefix: 'BANK-',
  columns: { unitCode: 'unit_code', reference: 'bank_ref', paidOn: 'value_date', amount: 'credit_amount' },
  ignored: ['narrative'],
  // Vietnamese banks' statements write dates day first.
  dateRule: { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, toIso: (m) => `${m[3]}-${pad(m[2])}-${pad(m[1])}`, message: 'must be a calendar date DD/MM/YYYY' },
};

const POST_OFFICE: CollectionFormat = {
  name: 'post-office',
  label: 'post-office file',
  referencePrefix: 'POST-',
  columns: { unitCode: 'ma_don_vi', reference: 'so_bien_lai', paidOn: 'ngay_thu', amount: 'so_tien' },
  ignored: ['diem_thu'],
  dateRule: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, toIso: (m) => m[0], message: 'must be a calendar date YYYY-MM-DD' },
};

const FORMATS: readonly CollectionFormat[] = [BANK, POST_OFFICE];

/** A collection's own number, prefixed by its source: the whole must still be a payment reference. */
const sourceReference = z.string().regex(/^[A-Za-z0-9._/-]{1,59}$/, 'must be 1–59 letters, digits or ._/-');

function dateText(rule: CollectionFormat['dateRule']) {
  return z.string().transform((text, ctx) => {
    const m = rule.pattern.exec(text);
    const iso = m ? rule.toIso(m) : '';
    if (!isValidDate(iso)) {
      ctx.addIssue({ code: 'custom', message: rule.message });
      return z.NEVER;
    }
    return iso;
  });
}

/** The zod schema that turns a row of this format (fields already picked by name) into a PaymentRecord. */
function schemaOf(format: CollectionFormat): z.ZodType<PaymentRecord> {
  return z.object({
    unitCode: unitCodeSchema,
    reference: sourceReference.transform((r) => `${format.referencePrefix}${r}`).pipe(paymentSchema.shape.reference),
    paidOn: dateText(format.dateRule),
    amount: moneyText.pipe(paymentSchema.shape.amount),
  });
}

const fieldsOf = (format: CollectionFormat) => Object.entries(format.columns) as [Exclude<keyof PaymentRecord, 'reversedOn'>, string][];
const requiredOf = (format: CollectionFormat) => Object.values(format.columns);

/** Which format a header is, by its columns; or what is wrong with it. */
export function detectFormat(names: readonly string[]): { format: CollectionFormatName } | { problem: string } {
  const scored = FORMATS.map((f) => ({ f, matched: names.filter((n) => [...requiredOf(f), ...f.ignored].includes(n)).length }));
  const best = scored.reduce((a, b) => (b.matched > a.matched ? b : a));
  if (best.matched === 0) {
    return { problem: `first line is not a header row (expected the columns of a ${FORMATS.map((f) => `${f.label} (${requiredOf(f).join(', ')})`).join(' or a ')})` };
  }
  const problem = headerProblem(requiredOf(best.f), best.f.ignored, names);
  return problem ? { problem: `as a ${best.f.label}: ${problem}` } : { format: best.f.name };
}

export type ParsedRow = { ok: true; payment: PaymentRecord } | { ok: false; key: string; reason: string };

/** A row of a collection file as a PaymentRecord, or the reason (column and rule) it is refused. Pure. */
export function parseCollectionRow(formatName: CollectionFormatName, row: Row, today: IsoDate): ParsedRow {
  const format = formatOf(formatName);
  const key = rowKey(format, row);
  const picked = Object.fromEntries(fieldsOf(format).map(([field, column]) => [field, row[column]]));
  const parsed = schemaOf(format).safeParse(picked);
  if (!parsed.success) return { ok: false, key, reason: reasonOf(parsed.error.issues, row, [], (field) => format.columns[field as Exclude<keyof PaymentRecord, 'reversedOn'>] ?? field) };
  // Money collected is reported after the fact: a date ahead of today is a typing error, not a payment.
  if (parsed.data.paidOn > today) return { ok: false, key, reason: `${format.columns.paidOn} must not be after today (${today})` };
  return { ok: true, payment: parsed.data };
}

const formatOf = (name: CollectionFormatName) => FORMATS.find((f) => f.name === name)!;

function rowKey(format: CollectionFormat, row: Row): string {
  return `${shown(row[format.columns.unitCode], unitCodeSchema)} ${shown(row[format.columns.reference], sourceReference)}`;
}

export interface CollectionFileSummary {
  file: string;
  format: CollectionFormatName | null;
  recorded: number;
  duplicate: number;
  errors: number;
}

export interface CollectionImportReport {
  files: CollectionFileSummary[];
  /** Payments recorded by this import; a payment already on record counts as a duplicate. */
  recorded: number;
  duplicate: number;
  /** The sum of the payments recorded (duplicates not counted), in dong. */
  amountRecorded: number;
  /** Escalations under way that a recorded payment ended (debt cleared). */
  escalationsEnded: number;
  errors: ImportError[];
}

/** What recording a collection file's rows has done so far. */
export interface CollectionCounts {
  recorded: number;
  duplicate: number;
  /** In dong, duplicates not counted. */
  amountRecorded: number;
  escalationsEnded: number;
}

/**
 * The rows of one collection file, recorded one at a time in file order (a later payment of a unit
 * sees the earlier one) through the record-payment step; the format is told by the header. The
 * folder import and the bucket's import (file-import.ts) both read a file through this.
 */
export function collectionRows(
  deps: Deps, fail: (line: number, key: string, reason: string) => void, counts: CollectionCounts,
  options: {
    today: IsoDate; known: Map<string, boolean>;
    /** The file's repeats (repeat-guard.ts): a payment written row by row, so nothing to settle. */
    guard: RepeatGuard;
    onFormat?(format: CollectionFormatName): void; onLine?(line: number): void;
  },
): RowReader {
  let format: CollectionFormat | undefined;
  return {
    header: (names) => {
      const detected = detectFormat(names);
      if ('problem' in detected) return detected.problem;
      format = formatOf(detected.format);
      options.onFormat?.(format.name);
      return undefined;
    },
    reportKey: (row) => (format ? rowKey(format, row) : '(unread)'),
    row: async (row, at) => {
      options.onLine?.(at);
      // A read resumed past the header (file-import.ts) tells the format by the columns it kept.
      const f = format ?? formatOf((detectFormat(Object.keys(row)) as { format: CollectionFormatName }).format);
      format = f;
      const parsed = parseCollectionRow(f.name, row, options.today);
      if (!parsed.ok) return fail(at, parsed.key, parsed.reason);
      const { payment } = parsed;
      const key = rowKey(f, row);
      const { known } = options;
      if (!known.has(payment.unitCode)) known.set(payment.unitCode, (await deps.ledgers.getLedger(payment.unitCode)).employer !== undefined);
      // A payment for a unit the agency does not know is money to trace, not a new unit's ledger.
      if (!known.get(payment.unitCode)) return fail(at, key, `${f.columns.unitCode} is not a known unit (no employer profile); not recorded`);
      const repeat = await options.guard.refusal({ kind: 'payment', unitCode: payment.unitCode, reference: payment.reference }, at, `${f.columns.unitCode} and ${f.columns.reference}`, 'not recorded');
      if (repeat) return fail(at, key, repeat);
      try {
        const r = await recordPayment(deps, { ...payment, actor: `import:${f.name}-file`, provenance: options.guard.provenance(at) });
        if (r.outcome === 'duplicate') {
          counts.duplicate += 1;
          return;
        }
        counts.recorded += 1;
        counts.amountRecorded += payment.amount;
        if (r.escalation === 'ended') counts.escalationsEnded += 1;
      } catch (error) {
        if (!(error instanceof PaymentConflictError)) throw error;
        fail(at, key, `${f.columns.reference} is already recorded for this unit with another date or amount; not changed`);
      }
    },
  };
}

/** Records the payments of collection files (paths), one file after another. */
export async function importCollectionFiles(paths: readonly string[], deps: Deps): Promise<CollectionImportReport> {
  const report: CollectionImportReport = { files: [], recorded: 0, duplicate: 0, amountRecorded: 0, escalationsEnded: 0, errors: [] };
  const today = deps.clock.today();
  // Whether each unit has an employer profile, read once per import.
  const known = new Map<string, boolean>();
  for (const path of paths) {
    const file = basename(path);
    const summary: CollectionFileSummary = { file, format: null, recorded: 0, duplicate: 0, errors: 0 };
    report.files.push(summary);
    const fail = (line: number, key: string, reason: string) => {
      summary.errors += 1;
      report.errors.push({ file, line, key, reason });
    };
    if (!existsSync(path)) {
      fail(1, '(file)', 'no such file; not read');
      continue;
    }
    const counts: CollectionCounts = { recorded: 0, duplicate: 0, amountRecorded: 0, escalationsEnded: 0 };
    let line = 0;
    try {
      // The same rule and provenance as the bucket's import (file-import.ts), with the folder's file as the source.
      const version = (await new FolderImportBucket(dirname(path)).stat(basename(path)))!;
      const guard = new RepeatGuard(deps, `folder:${resolve(path)}@${version.version}`, RepeatGuard.filterFor(version.size));
      await readRows(path, fail, collectionRows(deps, fail, counts, { today, known, guard, onFormat: (f) => { summary.format = f; }, onLine: (at) => { line = at; } }));
    } catch (error) {
      throw new Error(`import stopped in ${file} at line ${line} after ${counts.recorded} payment(s) of the file were recorded`, { cause: error });
    } finally {
      summary.recorded = counts.recorded;
      summary.duplicate = counts.duplicate;
      report.recorded += counts.recorded;
      report.duplicate += counts.duplicate;
      report.amountRecorded += counts.amountRecorded;
      report.escalationsEnded += counts.escalationsEnded;
    }
  }
  return report;
}

/** A short human summary: per file, the totals, then the first errors as `file:line key — reason`. */
export function formatCollectionReport(report: CollectionImportReport, show = 20): string {
  const lines = report.files.map((f) => `${f.file} (${f.format ?? 'not read'}): ${f.recorded} recorded, ${f.duplicate} already recorded, ${f.errors} error${f.errors === 1 ? '' : 's'}`);
  const n = report.errors.length;
  lines.push(
    `recorded ${report.recorded} payment${report.recorded === 1 ? '' : 's'} (${formatVnd(report.amountRecorded)}), ${report.duplicate} already recorded (nothing sent), ` +
      `${report.escalationsEnded} escalation${report.escalationsEnded === 1 ? '' : 's'} ended; ${n} error${n === 1 ? '' : 's'}`,
  );
  for (const e of report.errors.slice(0, show)) lines.push(`  ${e.file}:${e.line} ${e.key} — ${e.reason}`);
  if (n > show) lines.push(`  ... and ${n - show} more`);
  return lines.join('\n');
}
