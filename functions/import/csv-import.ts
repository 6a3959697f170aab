import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { z, type ZodType } from 'zod';
import {
  contributionPeriodSchema, employerSchema, officerSchema, paymentSchema,
  type ContributionPeriodRecord, type Employer, type Officer, type PaymentRecord,
} from '../commons/records.ts';
import type { ArrearsStore } from '../commons/store.ts';
import { deadlineOf, policyFor } from '../core/policy.ts';
import { lastDayOfPeriod, PERIOD } from '../core/dates.ts';

/**
 * Import of the agency's CSV exports (format: data/sample/README.md). Every row is validated with
 * the same schemas the store uses; a bad row is reported with file, line, key and reason (naming
 * the column and the rule, never the value: values can be personal data) and every good row loads.
 * Files stream through in batches, so memory does not grow with their size.
 */

export interface ImportError {
  file: string;
  line: number;
  key: string;
  reason: string;
}

export interface ImportReport {
  loaded: { employers: number; periods: number; payments: number; officers: number };
  errors: ImportError[];
}

type Row = Record<string, string | undefined>;

interface FileSpec<T> {
  file: string;
  columns: { required: readonly string[]; optional: readonly string[] };
  /** CSV column → record field, with the conversion of the text. */
  toRecord(row: Row): unknown;
  schema: ZodType<T>;
  key(row: Row): string;
  /** Record field → CSV column, so a reason names what the user sees. */
  columnOf: Record<string, string>;
  write(store: ArrearsStore, batch: T[]): Promise<void>;
  count: keyof ImportReport['loaded'];
}

const BATCH = 500;
const WRITERS = 8;

/** Money columns: whole dong as plain digits. "1.5", "12,000", "-5" and "1e6" are refused, not guessed. */
const moneyText = z.string().trim().regex(/^\d{1,15}$/, 'must be whole dong written with digits only (no dots, commas, signs or exponents)').transform(Number);
const booleanText = z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true');

const blankToUndefined = (text: string | undefined) => ((text ?? '').trim() === '' ? undefined : (text ?? '').trim());

const employers: FileSpec<Employer> = {
  file: 'employers.csv',
  columns: { required: ['unit_code', 'name', 'tax_code', 'district', 'commune', 'email', 'phone'], optional: ['locale'] },
  toRecord: (r) => ({
    unitCode: r.unit_code?.trim(), name: r.name, taxCode: r.tax_code?.trim(), district: r.district, commune: r.commune,
    email: r.email?.trim(), phone: r.phone?.trim(), locale: blankToUndefined(r.locale),
  }),
  schema: employerSchema,
  key: (r) => r.unit_code?.trim() || '(missing)',
  columnOf: { unitCode: 'unit_code', taxCode: 'tax_code' },
  write: (store, batch) => store.putEmployers(batch),
  count: 'employers',
};

const periods: FileSpec<ContributionPeriodRecord> = {
  file: 'contribution-periods.csv',
  columns: { required: ['unit_code', 'period', 'amount_due'], optional: ['due_date'] },
  toRecord: (r) => {
    const period = r.period?.trim() ?? '';
    // A blank due date follows the deadline rule of the policy in force for that period.
    const derived = PERIOD.test(period) ? deadlineOf(period, policyFor(lastDayOfPeriod(period))) : undefined;
    return { unitCode: r.unit_code?.trim(), period, amountDue: r.amount_due, dueDate: blankToUndefined(r.due_date) ?? derived };
  },
  schema: contributionPeriodSchema.extend({ amountDue: moneyText.pipe(contributionPeriodSchema.shape.amountDue) }),
  key: (r) => `${r.unit_code?.trim() || '(missing)'} ${r.period?.trim() ?? ''}`.trim(),
  columnOf: { unitCode: 'unit_code', amountDue: 'amount_due', dueDate: 'due_date' },
  write: (store, batch) => store.putPeriods(batch),
  count: 'periods',
};

const payments: FileSpec<PaymentRecord> = {
  file: 'payments.csv',
  columns: { required: ['unit_code', 'reference', 'paid_on', 'amount'], optional: [] },
  toRecord: (r) => ({ unitCode: r.unit_code?.trim(), reference: r.reference?.trim(), paidOn: r.paid_on?.trim(), amount: r.amount }),
  schema: paymentSchema.extend({ amount: moneyText.pipe(paymentSchema.shape.amount) }),
  key: (r) => `${r.unit_code?.trim() || '(missing)'} ${r.reference?.trim() ?? ''}`.trim(),
  columnOf: { unitCode: 'unit_code', paidOn: 'paid_on' },
  write: (store, batch) => store.putPayments(batch),
  count: 'payments',
};

const officers: FileSpec<Officer> = {
  file: 'officers.csv',
  columns: { required: ['officer_id', 'name', 'email', 'district', 'role'], optional: ['communes', 'active', 'team_lead_id'] },
  toRecord: (r) => ({
    officerId: r.officer_id?.trim(), name: r.name, email: r.email?.trim(), district: r.district,
    communes: (r.communes ?? '').split(';').map((c) => c.trim()).filter(Boolean),
    role: r.role?.trim(),
    active: blankToUndefined(r.active),
    teamLeadId: blankToUndefined(r.team_lead_id),
  }),
  schema: officerSchema.extend({ active: booleanText.optional().transform((v) => v ?? true) }),
  key: (r) => r.officer_id?.trim() || '(missing)',
  columnOf: { officerId: 'officer_id', teamLeadId: 'team_lead_id' },
  write: (store, batch) => store.putOfficers(batch),
  count: 'officers',
};

/** Employers first, so a later step can count on them; officers last. */
export const IMPORT_FILES = [employers, periods, payments, officers] as const;

export async function importFolder(dir: string, store: ArrearsStore, options: { onProgress?(rows: number): void } = {}): Promise<ImportReport> {
  const report: ImportReport = { loaded: { employers: 0, periods: 0, payments: 0, officers: 0 }, errors: [] };
  for (const spec of IMPORT_FILES) await importFile(join(dir, spec.file), spec as FileSpec<unknown>, store, report, options.onProgress);
  return report;
}

async function importFile<T>(path: string, spec: FileSpec<T>, store: ArrearsStore, report: ImportReport, onProgress?: (rows: number) => void) {
  if (!existsSync(path)) return;
  const parser = createReadStream(path).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  const inFlight = new Set<Promise<void>>();
  let batch: T[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const write = spec.write(store, rows).then(() => { report.loaded[spec.count] += rows.length; onProgress?.(rows.length); });
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write)).catch(() => {});
    if (inFlight.size >= WRITERS) await Promise.race(inFlight);
  };
  let headerChecked = false;
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    if (!headerChecked) {
      headerChecked = true;
      const present = Object.keys(record);
      const missing = spec.columns.required.filter((c) => !present.includes(c));
      const unknown = present.filter((c) => !spec.columns.required.includes(c) && !spec.columns.optional.includes(c));
      if (missing.length > 0 || unknown.length > 0) {
        const parts = [missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''].filter(Boolean);
        report.errors.push({ file: spec.file, line: 1, key: '(header)', reason: `${parts.join('; ')}; file skipped` });
        parser.destroy();
        return;
      }
    }
    // A blank cell is a missing value, so the reason says "is required", not a pattern.
    const row: Row = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v?.trim() === '' ? undefined : v]));
    const parsed = spec.schema.safeParse(spec.toRecord(row));
    if (parsed.success) {
      batch.push(parsed.data);
      if (batch.length >= BATCH) await flush();
    } else {
      report.errors.push({
        file: spec.file,
        line: info.lines,
        key: spec.key(row),
        reason: parsed.error.issues.map((i) => `${columnName(spec, i.path)} ${/received undefined/.test(i.message) ? 'is required' : i.message}`).join('; '),
      });
    }
  }
  await flush();
  await Promise.all(inFlight);
}

function columnName(spec: FileSpec<unknown>, path: readonly PropertyKey[]): string {
  const field = String(path[0] ?? '');
  return spec.columnOf[field] ?? field;
}

/** A short human summary: counts, then the first errors as `file:line key — reason`. */
export function formatImportReport(report: ImportReport, show = 20): string {
  const { employers: e, periods: p, payments: pay, officers: o } = report.loaded;
  const lines = [`loaded ${e} employers, ${p} contribution periods, ${pay} payments, ${o} officers; ${report.errors.length} row(s) rejected`];
  for (const err of report.errors.slice(0, show)) lines.push(`  ${err.file}:${err.line} ${err.key}: ${err.reason}`);
  if (report.errors.length > show) lines.push(`  ... and ${report.errors.length - show} more`);
  return lines.join('\n');
}
