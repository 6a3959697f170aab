import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nationalPhone, normalizePhone, toE164, vnPhoneSchema } from '../../functions/core/phone.ts';

const mobile = fc.tuple(fc.constantFrom('3', '5', '7', '8', '9'), fc.stringMatching(/^\d{8}$/)).map(([a, b]) => a + b);
const landline = fc.stringMatching(/^2\d{9}$/);
const nationalNumber = fc.oneof(mobile, landline);
const separator = fc.constantFrom('', ' ', '.', '-', ' - ', '  ');

/** A number as someone might write it: a prefix (0, 84, +84, "+84 (0)"), digits split by separators, maybe the area or network code in parentheses. */
const written = fc.tuple(nationalNumber, fc.constantFrom('0', '84', '+84', '+84 ', '+84 (0)', '(0'), fc.array(separator, { minLength: 12, maxLength: 12 }), fc.boolean())
  .map(([n, prefix, seps, paren]) => {
    const digits = [...n].map((d, i) => d + seps[i]!).join('');
    const body = paren && prefix === '0' ? `(0${n.slice(0, 2)}) ${[...n.slice(2)].map((d, i) => d + seps[i]!).join('')}` : prefix === '(0' ? `(0${digits.slice(0, 1)})${digits.slice(1)}` : `${prefix}${digits}`;
    return { n, text: body };
  });

describe('phone numbers', () => {
  it('examples as people write them', () => {
    expect(toE164('0912345678')).toBe('+84912345678');
    expect(toE164('84912345678')).toBe('+84912345678');
    expect(toE164('+84912345678')).toBe('+84912345678');
    expect(toE164('091 234 5678')).toBe('+84912345678');
    expect(toE164('091.234.5678')).toBe('+84912345678');
    expect(toE164('091-234-5678')).toBe('+84912345678');
    expect(toE164('(091) 234 5678')).toBe('+84912345678');
    expect(toE164('+84 (0) 91 234 5678')).toBe('+84912345678');
    expect(toE164('(024) 3825.1234')).toBe('+842438251234');
    expect(nationalPhone('+84912345678')).toBe('0912345678');
    expect(nationalPhone('19009068')).toBe('19009068');
  });

  it('refuses what cannot be reached, each with its reason', () => {
    expect(normalizePhone('')).toEqual({ ok: false, reason: 'is empty' });
    expect(normalizePhone('0912 345 67')).toEqual({ ok: false, reason: 'must have 10 digits for a mobile (0 and 9 more)' });
    expect(normalizePhone('09123456789')).toEqual({ ok: false, reason: 'must have 10 digits for a mobile (0 and 9 more)' });
    expect(normalizePhone('024 3825 123')).toEqual({ ok: false, reason: 'must have 11 digits for a landline (02x and 8 more)' });
    expect(normalizePhone('+1 202 555 0100')).toEqual({ ok: false, reason: 'must be a Vietnamese number (+84)' });
    expect(normalizePhone('1900 9068')).toEqual({ ok: false, reason: 'must start with 0, 84 or +84' });
    expect(normalizePhone('0912/345/678')).toEqual({ ok: false, reason: 'may hold only digits, a leading +, spaces, dots, dashes or parentheses' });
    expect(normalizePhone('0112345678')).toEqual({ ok: false, reason: 'is not a Vietnamese mobile (03, 05, 07, 08, 09) or landline (02) number' });
    expect(normalizePhone('0612345678').ok).toBe(false);
  });

  it('every way of writing a valid number gives the same E.164, +84 and the national number', () => {
    fc.assert(fc.property(written, ({ n, text }) => {
      expect(normalizePhone(text), text).toEqual({ ok: true, e164: `+84${n}` });
    }));
  });

  it('normalising is idempotent and the national form comes back to the same number', () => {
    fc.assert(fc.property(written, ({ text }) => {
      const e = toE164(text)!;
      expect(toE164(e)).toBe(e);
      expect(toE164(nationalPhone(e))).toBe(e);
      expect(nationalPhone(e)).toMatch(/^0\d{9,10}$/);
    }));
  });

  it('a result is always +84 and 9 or 10 digits, or a refusal with a reason: never anything else', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.stringMatching(/^[+\d .()-]{0,20}$/), (any, phoneish) => {
      for (const text of [any, phoneish]) {
        const r = normalizePhone(text);
        if (r.ok) expect(r.e164).toMatch(/^\+84([35789]\d{8}|2\d{9})$/);
        else expect(r.reason.length).toBeGreaterThan(0);
      }
    }));
  });

  it('a number with a digit too many or too few is refused', () => {
    fc.assert(fc.property(nationalNumber, fc.boolean(), (n, longer) => {
      const wrong = longer ? `${n}1` : n.slice(0, -1);
      expect(normalizePhone(`0${wrong}`).ok).toBe(false);
      expect(normalizePhone(`+84${wrong}`).ok).toBe(false);
    }));
  });

  it('the boundary schema stores E.164 and refuses with the reason', () => {
    expect(vnPhoneSchema.parse('091 234 5678')).toBe('+84912345678');
    const refused = vnPhoneSchema.safeParse('0912 34');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('must have 10 digits for a mobile (0 and 9 more)');
  });
});
