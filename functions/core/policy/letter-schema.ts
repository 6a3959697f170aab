import { z } from 'zod';

/**
 * The texts that make a notice to an employer an official letter it can act on (letter.ts): the
 * letterhead's national motto and document number, how to pay (the office's accounts and the
 * transfer content), whom to call (the unit's officer, the office), the page numbers. Filled from
 * the office's settings (functions/core/office.ts), one set per locale (templates/vi.ts, en.ts).
 */
export const letterSchema = z.object({
  /** The national motto, right of the letterhead (Decree 30/2020/ND-CP). */
  motto: z.tuple([z.string().min(1), z.string().min(1)]),
  /** The document number under the office's name: `{{documentNumber}}`. */
  number: z.string().min(1),
  /** Place and date under the motto: `{{place}}`, `{{date}}` (ngày 02 tháng 11 năm 2026). */
  dated: z.string().min(1),
  /** Above the accounts. */
  paymentHeading: z.string().min(1),
  /** One line per account: `{{bank}}`, `{{accountNumber}}`, `{{accountName}}`. */
  account: z.string().min(1),
  /** What to write as the transfer's content: `{{transferContent}}`. */
  transfer: z.string().min(1),
  /** Above whom to call, only when the unit owes something (a unit that owes nothing is not asked to call). */
  contactHeading: z.string().min(1),
  /** The unit's officer: `{{officerName}}`, and `{{officerPhone}}` in `officer` when the roster has one. */
  officer: z.string().min(1),
  officerNoPhone: z.string().min(1),
  /** The office: `{{officeName}}`, `{{officeAddress}}`, `{{officePhone}}`, `{{officeWebsite}}`. */
  office: z.string().min(1),
  /** At the foot of every PDF page: `{{page}}`, `{{pages}}`. */
  page: z.string().min(1),
});
export type LetterTexts = z.infer<typeof letterSchema>;
