import { z } from 'zod';
import type { Period } from './dates.ts';

/**
 * The office's settings: who this office is and how it is paid and reached, apart from the law
 * (the policy, functions/core/policy/) and from operations (infra/deployment-config.ts). One file
 * per office, `config/offices/<office>.json`, validated with this schema when the stack is
 * synthesized (`npx cdk synth -c office=<office>`) and again when a function starts; several
 * provinces deploy the same code, each with its own file.
 */

const text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const bilingual = (max: number) => z.object({ vi: text(max), en: text(max) }).strict();
const email = z.email('must be an email address');
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The fields a transfer-content rule may name, in single braces: `BHXH {unitCode} nop tien T{mm}/{yyyy}`. */
export const TRANSFER_FIELDS = ['unitCode', 'mm', 'yyyy'] as const;
/** Banks take unaccented text in a transfer's content; a few signs are safe on every one of them. */
const TRANSFER_TEXT = /^[A-Za-z0-9 .,/_-]*$/;
/** The longest content the agency's banks keep whole (NAPAS carries 210; some core banking systems 140). */
export const TRANSFER_MAX_LENGTH = 140;
/** The longest unit code (records.ts: 4–12 capital letters or digits). */
const LONGEST_UNIT_CODE = 'X'.repeat(12);

const bankAccount = z.object({
  /** The bank and branch, as the employer picks it in their bank's transfer form. */
  bank: text(120),
  accountNumber: z.string().regex(/^\d{6,20}$/, 'must be 6–20 digits'),
  /** The account holder's name as the bank has it (the beneficiary name of the transfer). */
  accountName: text(120),
}).strict();

const transferContent = z.string().superRefine((rule, ctx) => {
  const fields = [...rule.matchAll(/\{(\w*)\}/g)].map((m) => m[1]!);
  const unknown = fields.filter((f) => !(TRANSFER_FIELDS as readonly string[]).includes(f));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `names unknown field(s) ${unknown.map((f) => `{${f}}`).join(', ')}; known: ${TRANSFER_FIELDS.map((f) => `{${f}}`).join(', ')}` });
  if (!fields.includes('unitCode')) ctx.addIssue({ code: 'custom', message: 'must contain {unitCode}: the office finds the payer by it' });
  if (!TRANSFER_TEXT.test(rule.replace(/\{\w*\}/g, ''))) ctx.addIssue({ code: 'custom', message: 'must be unaccented letters, digits, spaces and . , / _ - (what every bank keeps)' });
  const longest = rule.replace(/\{unitCode\}/g, LONGEST_UNIT_CODE).replace(/\{mm\}/g, '12').replace(/\{yyyy\}/g, '2099');
  if (longest.length > TRANSFER_MAX_LENGTH) ctx.addIssue({ code: 'custom', message: `must fill to at most ${TRANSFER_MAX_LENGTH} characters with the longest unit code (${longest.length})` });
});

export const officeSettingsSchema = z.object({
  /** The office's short name (its file's name): `sample`, `ninh-binh`. */
  id: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be 2–40 lower-case letters, digits or dashes'),
  /** The issuing office, as its letters are headed ("BẢO HIỂM XÃ HỘI CƠ SỞ TAM ĐIỆP"). */
  name: bilingual(120),
  /** The agency above it, the letterhead's first line ("BẢO HIỂM XÃ HỘI TỈNH NINH BÌNH"). */
  parentAgency: bilingual(120),
  /** The place a letter is dated at ("Tam Điệp, ngày 02 tháng 11 năm 2026"). */
  place: text(60),
  address: text(200),
  /** As people dial it, spaces and dots allowed ("0229 3864 123"). */
  phone: z.string().regex(/^[+(]?[0-9][0-9 .()-]{6,18}[0-9]$/, 'must be a phone number: digits, with spaces, dots, dashes or parentheses'),
  /** Told in participants' reminders (unaccented SMS) when their agent has no phone on record. */
  hotline: z.string().regex(/^\+?\d{4,12}$/, 'must be 4–12 digits, optionally a leading +'),
  website: z.url({ protocol: /^https$/, error: 'must be an https:// address' }),
  /** The office's sign in its document numbers: `…/TB-<documentCode>`. */
  documentCode: z.string().regex(/^[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$/, 'must be capital letters and digits, joined by dashes (BHXH, BHXH-TD)').max(20),
  /** Where employers pay contributions and arrears: every notice and statement lists them. */
  bankAccounts: z.array(bankAccount).min(1, 'must list at least one account').max(4, 'must list at most 4 accounts'),
  /** What the employer writes as the transfer's content, so the payment is matched to the unit. */
  transferContent,
  /** SES: the domain verified for this office, and the addresses in it that send. */
  email: z.object({
    domain: z.string().regex(DOMAIN, 'must be a domain name in lower case'),
    /** Urging notices, statements, pre-disclosure notices, payment confirmations, officers' emails. */
    notices: email,
    /** Participants' reminders (a separate address: a bounce storm there never touches notices). */
    reminders: email,
  }).strict(),
  /** The alphanumeric sender ID SMS carry (the brand name registered with the carriers). */
  sms: z.object({ senderId: z.string().regex(/^[A-Za-z0-9]{3,11}$/, 'must be 3–11 letters or digits') }).strict(),
  /** Who signs notices: the title (for the director: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" is written as it is) and, optionally, the name. */
  signatory: z.object({ title: bilingual(80), name: text(80).optional() }).strict(),
  /** Alarms are also sent here (the CDK context `alarmEmail` overrides it). */
  alarmEmail: email.optional(),
}).strict().superRefine((o, ctx) => {
  for (const role of ['notices', 'reminders'] as const) {
    const address = o.email[role];
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    if (domain !== o.email.domain && !domain.endsWith(`.${o.email.domain}`)) {
      ctx.addIssue({ code: 'custom', path: ['email', role], message: `must be an address of the office's domain ${o.email.domain}` });
    }
  }
});

export type OfficeSettings = z.infer<typeof officeSettingsSchema>;
export type BankAccount = OfficeSettings['bankAccounts'][number];

/** Thrown when office settings do not validate: names the source and every field with its reason. */
export class InvalidOfficeSettingsError extends Error {
  override readonly name = 'InvalidOfficeSettingsError';
  constructor(readonly source: string, readonly issues: { field: string; reason: string }[]) {
    super(`Invalid office settings (${source}): ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`);
  }
}

/** Validates office settings read from `source` (a file, an environment variable), naming each bad field. */
export function parseOfficeSettings(value: unknown, source: string): OfficeSettings {
  const r = officeSettingsSchema.safeParse(value);
  if (r.success) return r.data;
  throw new InvalidOfficeSettingsError(source, r.error.issues.map((i) => ({
    field: [...i.path, ...(i.code === 'unrecognized_keys' ? [i.keys.join(', ')] : [])].join('.') || '(settings)',
    reason: i.code === 'unrecognized_keys' ? 'is not a setting (misspelled?)' : i.message,
  })));
}

/** The transfer's content an employer writes for a cycle's payment: the office's rule filled in. */
export function transferContentFor(office: Pick<OfficeSettings, 'transferContent'>, unitCode: string, cycle: Period): string {
  const values: Record<(typeof TRANSFER_FIELDS)[number], string> = { unitCode, mm: cycle.slice(5, 7), yyyy: cycle.slice(0, 4) };
  return office.transferContent.replace(/\{(\w+)\}/g, (_, f: string) => values[f as keyof typeof values]);
}
