import { z } from 'zod';

/**
 * Vietnamese phone numbers as people write them ("091 234 5678", "(024) 3825.1234",
 * "+84-91-234-5678") to E.164 (+84912345678), the one form stored, hashed and sent to. Pure.
 *
 * After the country code or the trunk 0 comes the national number: 9 digits for a mobile (first
 * digit 3, 5, 7, 8 or 9, the prefixes since the 2018 renumbering) or 10 for a landline (area code
 * 02x). Anything else is refused with its reason, so a number that cannot be reached is never sent to.
 */

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/** What may separate the digits, as numbers are written. */
const SEPARATORS = /[\s.\-()]/g;

export function normalizePhone(text: string): PhoneResult {
  const compact = text.trim().replace(SEPARATORS, '');
  if (compact === '') return { ok: false, reason: 'is empty' };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'may hold only digits, a leading +, spaces, dots, dashes or parentheses' };
  let national: string;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+84')) return { ok: false, reason: 'must be a Vietnamese number (+84)' };
    national = compact.slice(3);
  } else if (compact.startsWith('0')) {
    national = compact.slice(1);
  } else if (compact.startsWith('84') && compact.length >= 11) {
    // Written without the +: 84912345678.
    national = compact.slice(2);
  } else {
    return { ok: false, reason: 'must start with 0, 84 or +84' };
  }
  // "+84 (0)91..." keeps the trunk 0 by habit: it is not part of the number.
  if (national.startsWith('0') && compact.length > 11) national = national.slice(1);
  if (/^[35789]\d{8}$/.test(national)) return { ok: true, e164: `+84${national}` };
  if (/^2\d{9}$/.test(national)) return { ok: true, e164: `+84${national}` };
  if (/^[35789]/.test(national)) return { ok: false, reason: 'must have 10 digits for a mobile (0 and 9 more)' };
  if (national.startsWith('2')) return { ok: false, reason: 'must have 11 digits for a landline (02x and 8 more)' };
  return { ok: false, reason: 'is not a Vietnamese mobile (03, 05, 07, 08, 09) or landline (02) number' };
}

/** E.164 of a number, or undefined when it is not a valid Vietnamese number. */
export function toE164(text: string): string | undefined {
  const r = normalizePhone(text);
  return r.ok ? r.e164 : undefined;
}

/** The number as dialled in Vietnam (+84912345678 → 0912345678): shorter in an SMS, and what people recognise. */
export function nationalPhone(text: string): string {
  const e164 = toE164(text);
  return e164 ? `0${e164.slice(3)}` : text;
}

/** A phone column at a boundary: any written form in, E.164 out; an invalid one refused with its reason. */
export const vnPhoneSchema = z.string().transform((value, ctx) => {
  const r = normalizePhone(value);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.e164;
});
