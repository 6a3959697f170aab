import { marshall } from '@aws-sdk/util-dynamodb';
import { keys } from '../../functions/commons/table.ts';
import { deadlineOf, POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { lambdaContext } from '../support/lambda-context.ts';

export const policy = POLICY_VERSIONS.at(-1)!;
export const context = lambdaContext('test');

export const employer = {
  unitCode: 'TA0012345',
  name: 'Công ty TNHH May mặc Hoà Bình',
  taxCode: '2700123456',
  district: 'Tam Điệp',
  commune: 'Bắc Sơn',
  email: 'ketoan@hoabinh.example.vn',
  phone: '0912345678',
  locale: 'vi',
};
export const PERSONAL = [employer.name, employer.email, employer.phone, employer.taxCode];

export const profileItem = (e = employer) => ({ ...keys.employer(e.unitCode), ...e });
export const periodItem = (unitCode: string, period: string, amountDue: number) => ({
  ...keys.period(unitCode, period), unitCode, period, amountDue, dueDate: deadlineOf(period, policy),
});
export const paymentItem = (unitCode: string, reference: string, paidOn: string, amount: number) => ({
  ...keys.payment(unitCode, reference), unitCode, reference, paidOn, amount,
});

/**
 * The ledger scan (every run that reads every employer) reads DynamoDB's wire form with the
 * low-level ScanCommand (functions/commons/ledger-items.ts): a mocked scan answers with the items marshalled.
 */
export { ScanCommand as LedgerScanCommand } from '@aws-sdk/client-dynamodb';
export const wire = (items: readonly Record<string, unknown>[]) => items.map((i) => marshall(i, { removeUndefinedValues: true }));
