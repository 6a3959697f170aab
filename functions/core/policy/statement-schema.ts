import { z } from 'zod';

/**
 * The statement section of the policy (schema.ts): when every employer gets its
 * monthly statement of contribution results, how far back it goes, and its one template per
 * locale. The same template is rendered to the email's HTML and text and to the PDF attached
 * (functions/core/statement.ts), so the two never say different things. Modelled on the agency's
 * monthly notice of contribution results to each unit (form C12-TS, Decision 595/QĐ-BHXH).
 */

/** Figures a summary line may show only when they are above zero (otherwise the line is left out). */
export const STATEMENT_CONDITIONS = ['debt', 'credit', 'notYetDue'] as const;

const statementTemplate = z.object({
  subject: z.string().min(1),
  title: z.string().min(1),
  /** Lines above the table; a line holding only an optional field that is empty is left out. */
  header: z.string().min(1),
  columns: z.object({
    period: z.string().min(1),
    dueDate: z.string().min(1),
    amountDue: z.string().min(1),
    amountPaid: z.string().min(1),
    balance: z.string().min(1),
    interest: z.string().min(1),
  }),
  /** The first row when older, settled periods are summed up: `{{before}}` is the first period shown in detail. */
  broughtForward: z.string().min(1),
  totalRow: z.string().min(1),
  /** Label and value lines below the table; `when` shows one only while that figure is above zero. */
  summary: z.array(z.object({ label: z.string().min(1), value: z.string().min(1), when: z.enum(STATEMENT_CONDITIONS).optional() })).min(1),
  /** Lines below the summary; `when` shows one only while that figure is above zero (a unit that owes nothing is not asked to call). */
  footer: z.array(z.object({ text: z.string().min(1), when: z.enum(STATEMENT_CONDITIONS).optional() })).min(1),
  /** The PDF attachment's file name. */
  fileName: z.string().regex(/^[A-Za-z0-9{}-]+\.pdf$/, 'must be ASCII letters, digits, dashes and fields, ending in .pdf'),
});

export const statementSchema = z.object({
  /** Day of month and local hour of the statement run: after the monthly run, so the urging notice can point to it. */
  dayOfMonth: z.number().int().min(1).max(10),
  hour: z.number().int().min(0).max(23),
  /** Periods shown one by one: this many months back from the cycle, and any older one still unpaid. */
  months: z.number().int().min(1).max(36),
  templates: z.object({ vi: statementTemplate, en: statementTemplate }),
  /** The line the urging notice adds, pointing to the cycle's statement. */
  noticeLine: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
});
export type StatementPolicy = z.infer<typeof statementSchema>;
export type StatementTemplate = z.infer<typeof statementTemplate>;
