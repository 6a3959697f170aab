import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { isValidDate, PERIOD } from '../core/dates.ts';

/**
 * The monthly scan's fast path for the two kinds of item that are nearly all of it (24 periods and
 * about as many payments per unit a year or two back): read straight from DynamoDB's wire form
 * (`{ S }`, `{ N }`), checked field by field, with no unmarshalled copy, no schema object, no
 * closure per item. It accepts only what the records' zod schemas (records.ts) accept, giving the
 * same values; anything else (a wrong type, a bad value, a missing field) returns undefined and the
 * caller takes the slow path, which unmarshalls and parses with the schema and reports the reason.
 * test/integration/ledger-items.test.ts checks the agreement both ways on generated items.
 */
type Wire = Record<string, AttributeValue>;

/** records.ts `vndSchema`: whole dong, 0 to 1e13. */
const MAX_VND = 1e13;
const REFERENCE = /^[A-Za-z0-9._/-]{1,64}$/;
const UNIT_CODE = /^[A-Z0-9]{4,12}$/;

// DynamoDB's AttributeValue is a union: an attribute has exactly one of S, N, … set.
const str = (v: AttributeValue | undefined): string | undefined => (v !== undefined && typeof v.S === 'string' ? v.S : undefined);

/** A DynamoDB number as the SDK's unmarshall would give it (Number of its text), when it is a whole dong amount. */
function dong(v: AttributeValue | undefined): number | undefined {
  if (v === undefined || typeof v.N !== 'string') return undefined;
  const n = Number(v.N);
  return Number.isInteger(n) && n >= 0 && n <= MAX_VND ? n : undefined;
}

/**
 * Dates and periods repeat from unit to unit (the same deadlines, the same payment days): the ones
 * found valid are remembered, a few thousand at most, so the check is a lookup for nearly every item.
 */
const MEMO = 8192;
const validDates = new Set<string>();
const validPeriods = new Set<string>();
function remembered(memo: Set<string>, value: string, check: (v: string) => boolean): boolean {
  if (memo.has(value)) return true;
  if (!check(value)) return false;
  if (memo.size < MEMO) memo.add(value);
  return true;
}
const isDate = (v: string) => remembered(validDates, v, isValidDate);
const isPeriod = (v: string) => remembered(validPeriods, v, (p) => PERIOD.test(p));

/** The unit code the records' schema requires (4–12 capitals or digits); checked once per unit by the caller. */
export const validUnitCode = (unitCode: string): boolean => UNIT_CODE.test(unitCode);

/** A contribution period (`PERIOD#…`) as the ledger keeps it, or undefined for the schema to judge. */
export function leanPeriod(item: Wire): { period: string; amountDue: number; dueDate: string } | undefined {
  const period = str(item.period);
  const amountDue = dong(item.amountDue);
  const dueDate = str(item.dueDate);
  if (period === undefined || amountDue === undefined || dueDate === undefined) return undefined;
  if (!isPeriod(period) || !isDate(dueDate)) return undefined;
  return { period, amountDue, dueDate };
}

/** A payment (`PAYMENT#…`) as the ledger keeps it, or undefined for the schema to judge. */
export function leanPayment(item: Wire): { reference: string; paidOn: string; amount: number } | undefined {
  // A reversed payment is not in the ledger: the schema's path puts it aside.
  if (item.reversedOn !== undefined) return undefined;
  const reference = str(item.reference);
  const paidOn = str(item.paidOn);
  const amount = dong(item.amount);
  if (reference === undefined || paidOn === undefined || amount === undefined || amount <= 0) return undefined;
  if (!REFERENCE.test(reference) || !isDate(paidOn)) return undefined;
  return { reference, paidOn, amount };
}
