import { z } from 'zod';
import {
  contributionPeriodSchema, employerSchema, officerIdSchema, officerSchema, paymentSchema, targetSchema, unitCodeSchema,
  type ContributionPeriodRecord, type Employer, type Officer, type PaymentRecord, type TargetRecord,
} from '../commons/records.ts';
import type { ImportedRowKey } from '../commons/store.ts';
import type { Ports } from '../commons/deps.ts';
import { deadlineOf, policyFor } from '../core/policy.ts';
import { lastDayOfPeriod, PERIOD, type Period } from '../core/dates.ts';
import type { Row } from './csv-rows.ts';
import type { Figures } from '../core/correction.ts';
import { RECONCILIATION_FILES, type ReconciliationCount } from './reconciliation-files.ts';

/**
 * The four import files (format: data/sample/README.md): their columns, how a row's text becomes
 * a record (then validated by the record's one schema in records.ts), its key and where it is written.
 */

export type { Row } from './csv-rows.ts';

export interface ImportFile<T> {
  file: string;
  count: 'employers' | 'periods' | 'payments' | 'officers' | 'targets' | ReconciliationCount;
  required: readonly string[];
  optional: readonly string[];
  /** The record schema, with text columns (money, booleans) converted first. */
  schema: z.ZodType<T>;
  toRecord(row: Row): Record<string, unknown>;
  /** Identifies the row in an error report; only values that pass their own format are shown. */
  reportKey(row: Row): string;
  /** The stored item a row writes: within a file, the first row of an item is kept, a later one refused (repeat-guard.ts). */
  rowKey(record: T): ImportedRowKey;
  /** The columns that make the storage key, as a refused repeat names them. */
  keyColumns: string;
  /** A row that belongs to an employer's ledger: refused when its unit is not known (csv-import.ts). */
  unitOf?(record: T): string;
  write(deps: Ports<'ledgers' | 'officers' | 'plans' | 'reconciliation'>, records: T[]): Promise<void>;
  /** Files whose rows may be corrections (column `correction`): the figures a correction replaces (core/correction.ts). */
  figuresOf?(record: T): Figures;
  /** A payment may be marked `correction = reversal` (the bank reversed it): kept on record, out of the ledger. */
  reversible?: boolean;
  /** A contribution period's row: one after its closed unit's closing month is kept, not charged, and listed (`after-closing`). */
  chargedPeriodOf?(record: T): Period;
}

/** Whole dong, digits only: "1.5", "12,000", "1e6" and "-5" are refused, not guessed at. */
export const moneyText = z.string().regex(/^\d+$/, 'must be whole dong, written with digits only (no dots, commas, signs or exponents)').transform(Number);
/** Spreadsheets write TRUE/FALSE, so case does not matter. */
const booleanText = z.string().regex(/^(true|false)$/i, 'must be true or false').transform((v) => v.toLowerCase() === 'true');

// Key parts: a value is echoed only if it has the form of a code, so a shifted row cannot put a
// name or an email into the report.
export const shown = (value: string | undefined, schema: z.ZodType) =>
  value === undefined ? '(missing)' : schema.safeParse(value).success ? value : '(invalid)';
const unitKey = (row: Row) => shown(row.unit_code, unitCodeSchema);
const periodShape = z.string().regex(/^\d{4}-\d{2}$/);

const employers: ImportFile<Employer> = {
  file: 'employers.csv',
  count: 'employers',
  required: ['unit_code', 'name', 'tax_code', 'district', 'commune', 'email', 'phone'],
  optional: ['locale', 'address', 'contact_person', 'status', 'status_date'],
  // A unit suspended or closed says from when (core/unit-status.ts); a date alone says nothing.
  schema: employerSchema.superRefine((e, ctx) => {
    if (e.status !== undefined && e.status !== 'active' && e.statusDate === undefined) ctx.addIssue({ code: 'custom', path: ['statusDate'], message: `is required when status is ${e.status}` });
    if (e.statusDate !== undefined && (e.status === undefined || e.status === 'active')) ctx.addIssue({ code: 'custom', path: ['status'], message: 'must be suspended or closed when status_date is given' });
  }),
  toRecord: (r) => ({
    unitCode: r.unit_code, name: r.name, taxCode: r.tax_code, district: r.district, commune: r.commune,
    email: r.email, phone: r.phone, locale: r.locale,
    // Blank optional cells are left out, never stored as empty text.
    ...(r.address?.trim() ? { address: r.address } : {}), ...(r.contact_person?.trim() ? { contactPerson: r.contact_person } : {}),
    ...(r.status ? { status: r.status.toLowerCase() } : {}), ...(r.status_date ? { statusDate: r.status_date } : {}),
  }),
  reportKey: unitKey,
  rowKey: (e) => ({ kind: 'employer', unitCode: e.unitCode }),
  keyColumns: 'unit_code',
  write: (deps, batch) => deps.ledgers.putEmployers(batch),
};

/** A blank due date follows the deadline rule of the policy in force at the end of the period. */
const derivedDueDate = (period: string | undefined) =>
  period !== undefined && PERIOD.test(period) ? deadlineOf(period, policyFor(lastDayOfPeriod(period))) : undefined;

const periods: ImportFile<ContributionPeriodRecord> = {
  file: 'contribution-periods.csv',
  count: 'periods',
  required: ['unit_code', 'period', 'amount_due'],
  optional: ['due_date', 'correction'],
  schema: contributionPeriodSchema.extend({ amountDue: moneyText.pipe(contributionPeriodSchema.shape.amountDue) }),
  toRecord: (r) => ({ unitCode: r.unit_code, period: r.period, amountDue: r.amount_due, dueDate: r.due_date ?? derivedDueDate(r.period) }),
  reportKey: (r) => `${unitKey(r)} ${shown(r.period, periodShape)}`,
  rowKey: (p) => ({ kind: 'period', unitCode: p.unitCode, period: p.period }),
  keyColumns: 'unit_code and period',
  unitOf: (p) => p.unitCode,
  write: (deps, batch) => deps.ledgers.putPeriods(batch),
  figuresOf: (p) => ({ amount: p.amountDue, date: p.dueDate }),
  chargedPeriodOf: (p) => p.period,
};

const payments: ImportFile<PaymentRecord> = {
  file: 'payments.csv',
  count: 'payments',
  required: ['unit_code', 'reference', 'paid_on', 'amount'],
  optional: ['correction'],
  schema: paymentSchema.extend({ amount: moneyText.pipe(paymentSchema.shape.amount) }),
  toRecord: (r) => ({ unitCode: r.unit_code, reference: r.reference, paidOn: r.paid_on, amount: r.amount }),
  reportKey: (r) => `${unitKey(r)} ${shown(r.reference, paymentSchema.shape.reference)}`,
  rowKey: (p) => ({ kind: 'payment', unitCode: p.unitCode, reference: p.reference }),
  keyColumns: 'unit_code and reference',
  unitOf: (p) => p.unitCode,
  write: (deps, batch) => deps.ledgers.putPayments(batch),
  figuresOf: (p) => ({ amount: p.amount, date: p.paidOn }),
  reversible: true,
};

const officers: ImportFile<Officer> = {
  file: 'officers.csv',
  count: 'officers',
  required: ['officer_id', 'name', 'email', 'district', 'role'],
  optional: ['communes', 'active', 'team_lead_id', 'phone'],
  schema: officerSchema.extend({ active: booleanText.optional().transform((v) => v ?? true) }),
  toRecord: (r) => ({
    officerId: r.officer_id, name: r.name, email: r.email, district: r.district,
    communes: (r.communes ?? '').split(';').map((c) => c.trim()).filter(Boolean),
    role: r.role, active: r.active, teamLeadId: r.team_lead_id, phone: r.phone,
  }),
  reportKey: (r) => shown(r.officer_id, officerIdSchema),
  rowKey: (o) => ({ kind: 'officer', officerId: o.officerId }),
  keyColumns: 'officer_id',
  write: (deps, batch) => deps.officers.putOfficers(batch),
};

/** Plan targets per year of a district, commune (`district/commune`) or officer; optional file. */
const targets: ImportFile<TargetRecord> = {
  file: 'targets.csv',
  count: 'targets',
  required: ['scope', 'key', 'year'],
  optional: ['collected', 'max_debt_ratio_percent', 'compulsory_participants'],
  schema: z.object({
    scope: targetSchema.shape.scope,
    key: targetSchema.shape.key,
    year: z.string().regex(/^\d{4}$/, 'must be a year YYYY').transform(Number).pipe(targetSchema.shape.year),
    collected: moneyText.optional(),
    maxDebtRatioPercent: z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'must be a percentage like 4.5').transform(Number).optional(),
    compulsoryParticipants: z.string().regex(/^\d{1,8}$/, 'must be a whole number of participants, digits only').transform(Number).optional(),
  }).pipe(targetSchema),
  toRecord: (r) => ({
    scope: r.scope, key: r.key, year: r.year, collected: r.collected, maxDebtRatioPercent: r.max_debt_ratio_percent, compulsoryParticipants: r.compulsory_participants,
  }),
  // Scope, key and year identify a target; none of them is personal data beyond a staff id.
  reportKey: (r) => `${r.scope ?? '?'} ${r.key ?? '?'} ${r.year ?? '?'}`,
  rowKey: (t) => ({ kind: 'target', year: t.year, scope: t.scope, key: t.key }),
  keyColumns: 'scope, key and year',
  write: (deps, batch) => deps.plans.putTargets(batch),
};

/** In load order: employers first, then officers and the plan targets, then the data reconciliation with tax data reads. */
export const IMPORT_FILES = [employers, periods, payments, officers, targets, ...RECONCILIATION_FILES] as readonly ImportFile<unknown>[];
