import { z } from 'zod';
import { isoDateSchema, periodSchema } from '../core/date-schemas.ts';
import { FINDING_KINDS, REGISTER_STATUSES } from '../core/reconciliation.ts';
import { TAX_CHECK_OUTCOMES } from '../core/tax-check.ts';
import { QUARTER } from '../core/quarterly-list.ts';
import { unitCodeSchema, vndSchema } from './records.ts';
import { siCodeSchema } from './reminder-records.ts';

/**
 * The records reconciliation with tax data reads (functions/core/reconciliation.ts): a unit's
 * roster, the tax authority's data per organisation and per employee, and the business register.
 * One schema each, used by the import and by the store on every read and write.
 */

/** The 12-digit citizen ID number; kept as text, so its leading zeros stay. */
export const personalIdSchema = z.string().regex(/^\d{12}$/, 'must be the 12-digit personal ID number (leading zeros kept)');
export const taxCodeSchema = z.string().regex(/^\d{10}(-\d{3})?$/, 'must be a 10-digit tax code, optionally -NNN');
const yearSchema = z.number().int().min(2000, 'must be a year from 2000').max(2100, 'must be a year up to 2100');
const name = z.string().trim().min(1, 'is required').max(200);

export const rosterMemberSchema = z.object({
  unitCode: unitCodeSchema,
  siCode: siCodeSchema,
  personalId: personalIdSchema,
  name,
  dateOfBirth: isoDateSchema,
  startMonth: periodSchema,
  endMonth: periodSchema.optional(),
  salary: vndSchema,
  /** Kept only with the employee's consent (the notices of issue 14 use them). */
  phone: z.string().regex(/^\+?\d{9,12}$/, 'must be 9–12 digits, optionally with a leading +').optional(),
  email: z.string().email('must be an email address').optional(),
  contactConsent: z.boolean(),
  /** The language the employee's notices are written in (roster `locale`: vi or en, as employers.csv's); the policy's when absent. */
  locale: z.enum(['vi', 'en']).optional(),
}).superRefine((m, ctx) => {
  if (m.endMonth !== undefined && m.endMonth < m.startMonth) ctx.addIssue({ code: 'custom', path: ['endMonth'], message: 'must not be before start_month' });
  if ((m.phone !== undefined || m.email !== undefined) && !m.contactConsent) {
    ctx.addIssue({ code: 'custom', path: ['contactConsent'], message: 'must be true when a phone or email is given (contact details are kept only with consent)' });
  }
});
export type RosterMemberRecord = z.infer<typeof rosterMemberSchema>;

export const taxOrganisationSchema = z.object({
  taxCode: taxCodeSchema,
  name,
  address: z.string().trim().min(1).max(300).optional(),
  district: z.string().trim().min(1, 'is required').max(80),
  year: yearSchema,
  employeesPaid: z.number().int().min(0, 'must not be negative').max(1_000_000, 'is implausibly large'),
  wageFund: vndSchema,
});
export type TaxOrganisationRecord = z.infer<typeof taxOrganisationSchema>;

export const taxEmployeeSchema = z.object({
  personalId: personalIdSchema,
  payerTaxCode: taxCodeSchema,
  year: yearSchema,
  monthsPaid: z.number().int().min(1, 'must be 1 to 12').max(12, 'must be 1 to 12'),
  taxableIncome: vndSchema,
});
export type TaxEmployeeRecord = z.infer<typeof taxEmployeeSchema>;

export const businessRegistrationSchema = z.object({
  taxCode: taxCodeSchema,
  name,
  address: z.string().trim().min(1).max(300).optional(),
  registeredOn: isoDateSchema,
  status: z.enum(REGISTER_STATUSES),
  statusDate: isoDateSchema,
}).refine((r) => r.statusDate >= r.registeredOn, { path: ['statusDate'], message: 'must not be before registered_on' });
export type BusinessRegistrationRecord = z.infer<typeof businessRegistrationSchema>;

const amounts = z.object({ si: vndSchema, hi: vndSchema, ui: vndSchema, employer: vndSchema, employee: vndSchema, total: vndSchema }).strict();

/** A finding of reconciliation (functions/core/reconciliation.ts), whole: the personal ID too (this record is never logged). */
export const findingSchema = z.object({
  kind: z.enum(FINDING_KINDS),
  year: yearSchema,
  taxCode: taxCodeSchema,
  unitCode: unitCodeSchema.optional(),
  personalId: personalIdSchema.optional(),
  basis: z.enum(['per-employee', 'wage-fund', 'ledger']),
  months: z.number().int().min(0),
  employees: z.number().int().min(0).optional(),
  notPaid: vndSchema,
  byType: amounts.optional(),
  evasionFrom: isoDateSchema.nullable(),
}).strict();
export type FindingRecord = z.infer<typeof findingSchema>;

/** What the officer's check found (the task's outcome, with its count or reason). */
export const taxCheckResultSchema = z.object({
  outcome: z.enum(TAX_CHECK_OUTCOMES),
  registered: z.number().int().min(1).optional(),
  reason: z.string().min(1).optional(),
  recordedAt: z.string().min(1),
  recordedBy: z.string().min(1),
}).strict();

/** The finding a tax-data check task is about, and (once recorded) what the check found. */
export const taxCheckSchema = z.object({
  taskId: z.string().min(1),
  quarter: z.string().regex(QUARTER),
  /** The unit's code, or for an organisation with no SI unit the code its task goes by (ids.unregisteredOrganisation). */
  subjectCode: unitCodeSchema,
  /** The organisation's name when it has no SI unit (from the tax data), for the officer's visit. */
  organisationName: name.optional(),
  district: z.string().min(1),
  openedOn: isoDateSchema,
  finding: findingSchema,
  result: taxCheckResultSchema.optional(),
}).strict();
export type TaxCheckRecord = z.infer<typeof taxCheckSchema>;

/** Employees a check registered at a unit (counted: a report can say how many registered after a visit). */
export const registeredByCheckSchema = z.object({
  unitCode: unitCodeSchema,
  quarter: z.string().regex(QUARTER),
  taskId: z.string().min(1),
  registered: z.number().int().min(1),
  recordedOn: isoDateSchema,
}).strict();
export type RegisteredByCheckRecord = z.infer<typeof registeredByCheckSchema>;
