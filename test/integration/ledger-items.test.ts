import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { contributionPeriodSchema, paymentSchema } from '../../functions/commons/records.ts';
import { leanPayment, leanPeriod, validUnitCode } from '../../functions/commons/ledger-items.ts';
import type { MalformedItem } from '../../functions/commons/store.ts';
import { dynamoForTests } from '../support/dynamo.ts';

/**
 * The monthly scan's fast path reads periods and payments straight from DynamoDB's wire form. It
 * must take exactly what the records' schemas take, with the same values; anything else goes to
 * the schema, which reports the reason. Checked on generated items, valid and not, then through
 * dynalite: the ledger a scan reads is the one the schemas make of the same items.
 */
const date = fc.oneof(
  fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-02-29', '2024-02-29', '2026-04-31', '2026-13-01', '2026-1-01', '', '2026-10-31T00:00'),
  fc.string({ maxLength: 12 }),
);
const period = fc.oneof(fc.integer({ min: 2000 * 12, max: 2099 * 12 + 11 }).map((m) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`), fc.constantFrom('2026-00', '2026-13', '2026-1', '26-10'), fc.string({ maxLength: 8 }));
const amount = fc.oneof(
  fc.integer({ min: 0, max: 500_000_000 }), fc.constantFrom(0, -1, 1.5, 1e13, 1e13 + 1, 9e15, -0), // DynamoDB keeps 38 digits and no subnormals: fractions to the hundredth.
  fc.double({ min: -1e6, max: 1e14, noNaN: true, noDefaultInfinity: true }).map((d) => Math.round(d * 100) / 100),
  fc.integer({ min: 0, max: 1000 }).map(String), fc.constant(null), fc.boolean(),
);
const reference = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._/-]{1,64}$/), fc.constantFrom('', 'a b', 'x'.repeat(65), 'REF#1', 'Đ-1'), fc.string({ maxLength: 70 }));
/** Any of a field's values, or the field missing. */
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 8 });

const wireOf = (fields: Record<string, unknown>) => marshall(fields, { removeUndefinedValues: true, convertClassInstanceToMap: true });
const zodSays = <T>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, wire: Record<string, unknown>, unitCode: string) => {
  const r = schema.safeParse({ ...unmarshall(wire as never), unitCode });
  return r.success ? r.data : undefined;
};

describe('the scan\'s fast path agrees with the records\' schemas', () => {
  it('a period: taken by one exactly when taken by the other, with the same values', () => {
    fc.assert(fc.property(maybe(period), maybe(amount), maybe(date), (p, amountDue, dueDate) => {
      const wire = wireOf({ pk: 'EMP#TD000001', sk: `PERIOD#${p}`, period: p, amountDue, dueDate });
      const parsed = zodSays(contributionPeriodSchema, wire, 'TD000001');
      const lean = leanPeriod(wire);
      expect(lean).toEqual(parsed && { period: parsed.period, amountDue: parsed.amountDue, dueDate: parsed.dueDate });
    }), { numRuns: 2000 });
  });

  it('a payment: taken by one exactly when taken by the other, with the same values', () => {
    fc.assert(fc.property(maybe(reference), maybe(date), maybe(amount), (ref, paidOn, amt) => {
      const wire = wireOf({ pk: 'EMP#TD000001', sk: `PAYMENT#${ref}`, reference: ref, paidOn, amount: amt });
      const parsed = zodSays(paymentSchema, wire, 'TD000001');
      const lean = leanPayment(wire);
      expect(lean).toEqual(parsed && { reference: parsed.reference, paidOn: parsed.paidOn, amount: parsed.amount });
    }), { numRuns: 2000 });
  });

  it('a unit code: the schema\'s rule', () => {
    fc.assert(fc.property(fc.oneof(fc.stringMatching(/^[A-Z0-9]{4,12}$/), fc.string({ maxLength: 14 })), (code) => {
      expect(validUnitCode(code)).toBe(contributionPeriodSchema.shape.unitCode.safeParse(code).success);
    }));
  });
});

describe('the ledger a scan reads (dynalite)', () => {
  let env: Awaited<ReturnType<typeof dynamoForTests>>;
  beforeAll(async () => { env = await dynamoForTests(); });
  afterAll(() => env?.close());

  it('is what the schemas make of the same items: good ones kept, bad ones reported by key and reason', async () => {
    // Half of them good, half anything.
    const good = fc.tuple(period.filter((p) => /^\d{4}-(0[1-9]|1[0-2])$/.test(p)), fc.integer({ min: 0, max: 1e9 }), fc.constant('2026-10-31'), fc.stringMatching(/^[A-Z0-9-]{1,20}$/), fc.constant('2026-10-20'), fc.integer({ min: 1, max: 1e9 }));
    const items = [...fc.sample(good, { numRuns: 150, seed: 7 }), ...fc.sample(fc.tuple(period, amount, date, reference, date, amount), { numRuns: 150, seed: 7 })];
    const units = ['TD000001', 'TD000002', 'bad-unit'];
    const expected = new Map<string, { periods: unknown[]; payments: unknown[] }>(units.map((u) => [u, { periods: [], payments: [] }]));
    const rejected = new Set<string>();
    for (const [i, [p, due, dueDate, ref, paidOn, amt]] of items.entries()) {
      const unitCode = units[i % units.length]!;
      const periodItem = { pk: `EMP#${unitCode}`, sk: `PERIOD#${i}`, period: p, amountDue: due, dueDate };
      const paymentItem = { pk: `EMP#${unitCode}`, sk: `PAYMENT#${i}`, reference: ref, paidOn, amount: amt };
      for (const [item, schema, list] of [[periodItem, contributionPeriodSchema, 'periods'], [paymentItem, paymentSchema, 'payments']] as const) {
        await env.dynamo.doc.send(new PutCommand({ TableName: env.tableName, Item: item }));
        const r = (schema as typeof paymentSchema).safeParse({ ...item, unitCode });
        if (r.success) {
          const d = r.data as Record<string, unknown>;
          expected.get(unitCode)![list].push(list === 'periods' ? { period: d.period, amountDue: d.amountDue, dueDate: d.dueDate } : { reference: d.reference, paidOn: d.paidOn, amount: d.amount });
        } else rejected.add(`${item.pk} ${item.sk}`);
      }
    }
    // The sample has both, in numbers.
    expect(rejected.size).toBeGreaterThan(50);
    expect([...expected.values()].reduce((n, l) => n + l.periods.length + l.payments.length, 0)).toBeGreaterThan(50);
    const malformed: MalformedItem[] = [];
    const read = new Map<string, { periods: unknown[]; payments: unknown[] }>();
    for await (const l of env.store.scanLedgers(0, 1, (m) => malformed.push(m))) read.set(l.unitCode, { periods: l.periods, payments: l.payments });
    const sorted = (xs: unknown[]) => [...xs].map((x) => JSON.stringify(x)).sort();
    for (const u of units) {
      expect(sorted(read.get(u)!.periods), u).toEqual(sorted(expected.get(u)!.periods));
      expect(sorted(read.get(u)!.payments), u).toEqual(sorted(expected.get(u)!.payments));
    }
    expect(new Set(malformed.map((m) => m.key))).toEqual(rejected);
    for (const m of malformed) expect(m.reason.length, m.key).toBeGreaterThan(0);
    // The unit whose code breaks the rule: every one of its items is reported, none kept.
    expect(read.get('bad-unit')).toEqual({ periods: [], payments: [] });
  }, 60_000);
});
