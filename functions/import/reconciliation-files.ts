import { z } from 'zod';
import {
  businessRegistrationSchema, personalIdSchema, rosterMemberSchema, taxCodeSchema, taxEmployeeSchema, taxOrganisationSchema,
  type BusinessRegistrationRecord, type RosterMemberRecord, type TaxEmployeeRecord, type TaxOrganisationRecord,
} from '../commons/reconciliation-records.ts';
import { unitCodeSchema } from '../commons/records.ts';
import { siCodeSchema } from '../commons/reminder-records.ts';
import { maskPersonalId } from '../core/reconciliation.ts';
import type { ImportFile, Row } from './import-files.ts';

/**
 * The files reconciliation with tax data reads (format: data/sample/README.md "Reconciliation with
 * tax data"), as row specs of the employer import (import-files.ts): a unit's roster, the tax
 * authority's data per organisation and per employee, the business register. Only types come from
 * import-files.ts, which lists these specs: its values would not be initialised yet here.
 *
 * A personal ID is shown in an error report masked (`********2345`), a name never.
 */

export type ReconciliationCount = 'roster' | 'taxOrganisations' | 'taxEmployees' | 'register';

const digits = (what: string) => z.string().regex(/^\d+$/, `must be ${what}, written with digits only`).transform(Number);
const money = digits('whole dong');
const count = digits('a whole number');
const booleanText = z.string().regex(/^(true|false)$/i, 'must be true or false').transform((v) => v.toLowerCase() === 'true');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const into = <T>(schema: z.ZodType<T>) => schema as unknown as z.ZodType<T, any>;

const shown = (value: string | undefined, schema: z.ZodType) =>
  value === undefined ? '(missing)' : schema.safeParse(value).success ? value : '(invalid)';
const yearShape = z.string().regex(/^\d{4}$/);
const maskedId = (value: string | undefined) =>
  value === undefined ? '(missing)' : personalIdSchema.safeParse(value).success ? maskPersonalId(value) : '(invalid)';

const roster: ImportFile<RosterMemberRecord> = {
  file: 'roster.csv',
  count: 'roster',
  required: ['unit_code', 'si_code', 'personal_id', 'name', 'date_of_birth', 'start_month', 'salary'],
  optional: ['end_month', 'phone', 'email', 'contact_consent', 'locale'],
  schema: z.object({ salary: money, contactConsent: booleanText.optional().transform((v) => v ?? false) }).passthrough().pipe(into(rosterMemberSchema)),
  toRecord: (r: Row) => ({
    unitCode: r.unit_code, siCode: r.si_code, personalId: r.personal_id, name: r.name, dateOfBirth: r.date_of_birth,
    startMonth: r.start_month, endMonth: r.end_month, salary: r.salary, phone: r.phone, email: r.email, contactConsent: r.contact_consent,
    // Blank: the policy's language; VI and En as vi and en.
    ...(r.locale?.trim() ? { locale: r.locale.trim().toLowerCase() } : {}),
  }),
  // The SI code identifies the row; the personal ID and the name stay out of the report.
  reportKey: (r) => `${shown(r.unit_code, unitCodeSchema)} ${shown(r.si_code, siCodeSchema)} ${shown(r.start_month, z.string().regex(/^\d{4}-\d{2}$/))}`,
  keyColumns: 'unit_code, si_code and start_month',
  unitOf: (m) => m.unitCode,
  rowKey: (m) => ({ kind: 'roster-member', unitCode: m.unitCode, siCode: m.siCode, startMonth: m.startMonth }),
  write: (deps, rows) => deps.reconciliation.putRosterMembers(rows),
};

const taxOrganisations: ImportFile<TaxOrganisationRecord> = {
  file: 'tax-organisations.csv',
  count: 'taxOrganisations',
  required: ['tax_code', 'name', 'district', 'year', 'employees_paid', 'wage_fund'],
  optional: ['address'],
  schema: z.object({ year: count, employeesPaid: count, wageFund: money }).passthrough().pipe(into(taxOrganisationSchema)),
  toRecord: (r) => ({
    taxCode: r.tax_code, name: r.name, district: r.district, year: r.year, employeesPaid: r.employees_paid, wageFund: r.wage_fund,
    ...(r.address ? { address: r.address } : {}),
  }),
  reportKey: (r) => `${shown(r.tax_code, taxCodeSchema)} ${shown(r.year, yearShape)}`,
  keyColumns: 'tax_code and year',
  rowKey: (o) => ({ kind: 'tax-organisation', year: o.year, taxCode: o.taxCode }),
  write: (deps, rows) => deps.reconciliation.putTaxOrganisations(rows),
};

const taxEmployees: ImportFile<TaxEmployeeRecord> = {
  file: 'tax-employees.csv',
  count: 'taxEmployees',
  required: ['personal_id', 'payer_tax_code', 'year', 'months_paid', 'taxable_income'],
  optional: [],
  schema: z.object({ year: count, monthsPaid: count, taxableIncome: money }).passthrough().pipe(into(taxEmployeeSchema)),
  toRecord: (r) => ({ personalId: r.personal_id, payerTaxCode: r.payer_tax_code, year: r.year, monthsPaid: r.months_paid, taxableIncome: r.taxable_income }),
  reportKey: (r) => `${shown(r.payer_tax_code, taxCodeSchema)} ${maskedId(r.personal_id)} ${shown(r.year, yearShape)}`,
  keyColumns: 'personal_id, payer_tax_code and year',
  rowKey: (e) => ({ kind: 'tax-employee', year: e.year, payerTaxCode: e.payerTaxCode, personalId: e.personalId }),
  write: (deps, rows) => deps.reconciliation.putTaxEmployees(rows),
};

const register: ImportFile<BusinessRegistrationRecord> = {
  file: 'business-register.csv',
  count: 'register',
  required: ['tax_code', 'name', 'registered_on', 'status', 'status_date'],
  optional: ['address'],
  schema: businessRegistrationSchema,
  toRecord: (r) => ({
    taxCode: r.tax_code, name: r.name, registeredOn: r.registered_on, status: r.status, statusDate: r.status_date,
    ...(r.address ? { address: r.address } : {}),
  }),
  reportKey: (r) => shown(r.tax_code, taxCodeSchema),
  keyColumns: 'tax_code',
  rowKey: (r) => ({ kind: 'registration', taxCode: r.taxCode }),
  write: (deps, rows) => deps.reconciliation.putRegistrations(rows),
};

/** After the employers (a roster row's unit must be known). */
export const RECONCILIATION_FILES = [roster, taxOrganisations, taxEmployees, register] as readonly ImportFile<unknown>[];
