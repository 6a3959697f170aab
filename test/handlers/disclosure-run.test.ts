import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { clock } from '../../functions/commons/clock.ts';
import { logger } from '../../functions/commons/logger.ts';
import { handler } from '../../functions/handlers/disclosure-run.ts';
import { keys } from '../../functions/commons/table.ts';
import { renderDisclosureCsv } from '../../functions/core/disclosure.ts';
import { context, employer, periodItem, PERSONAL, policy, profileItem, LedgerScanCommand, wire } from './fixtures.ts';

process.env.TABLE_NAME = 'arrears-test';
process.env.DOCUMENTS_BUCKET = 'arrears-documents';
process.env.DOCUMENTS_KEY_ARN = 'arn:aws:kms:ap-southeast-1:000000000000:key/1234';
const db = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const ses = mockClient(SESClient);

const UNIT = employer.unitCode;
const ledger = [
  profileItem(),
  ...['2026-06', '2026-07', '2026-08', '2026-09'].map((p) => periodItem(UNIT, p, 20_000_000)),
  // Warned on the last run; the window ended on 2026-11-25.
  { ...keys.preDisclosure(UNIT), unitCode: UNIT, status: 'sent', claimedAt: 'x', sentOn: '2026-11-10', payBy: '2026-11-25' },
];
const KEY = 'disclosure/2026-12-10/list.csv';

describe('disclosure-run handler', () => {
  beforeEach(() => {
    db.reset();
    s3.reset();
    ses.reset();
    clock.setNow(new Date('2026-12-10T08:00:00+07:00'));
    db.on(LedgerScanCommand).callsFake((input: { Segment?: number }) => ({ Items: input.Segment === 0 ? wire(ledger) : [] }));
    db.on(QueryCommand).resolves({ Items: ledger });
    db.on(GetCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
  });

  it('publishes the unit past its window: the list written once under the date, encrypted with the stack key', async () => {
    const summary = await handler({}, context);
    expect(summary).toMatchObject({ date: '2026-12-10', published: 1, alreadyPublished: false, key: KEY });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'arrears-documents', Key: KEY, IfNoneMatch: '*', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: process.env.DOCUMENTS_KEY_ARN, BucketKeyEnabled: true,
    });
    const body = String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body);
    expect(body).toMatch(new RegExp(`^\\uFEFF.*\\r\\n${UNIT},${employer.name},${employer.taxCode},${employer.district},5,\\d+\\r\\n$`, 's'));
    expect(body).not.toContain(employer.email);
    expect(db).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ ...keys.publication('2026-12-10'), unitCodes: [UNIT] }), ConditionExpression: 'attribute_not_exists(pk)' });
    expect(db).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ ...keys.event(UNIT, '2026-12', 'disclosure-published#2026-12-10'), kind: 'disclosure-published' }) });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('keeps a list already in the bucket and records what it says', async () => {
    const earlier = renderDisclosureCsv([{ unitCode: UNIT, name: employer.name, taxCode: employer.taxCode, district: employer.district, monthsOverdue: 5, debt: 99 }], policy);
    s3.on(PutObjectCommand).rejects(new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 }, message: 'At least one of the pre-conditions you specified did not hold' }));
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => earlier } as never });
    const summary = await handler({}, context);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'arrears-documents', Key: KEY });
    expect(summary).toMatchObject({ published: 1, publishedDebt: 99 });
  });

  it('publishes nothing again once the date is recorded', async () => {
    db.on(GetCommand, { Key: keys.publication('2026-12-10') }).resolves({ Item: {
      ...keys.publication('2026-12-10'), date: '2026-12-10', cycle: '2026-12', key: KEY, units: 1, unitCodes: [UNIT], totalDebt: 5, contentSha256: 'a'.repeat(64),
      policyVersion: policy.version, minMonthsOverdue: 3, minDebt: 50_000_000, publishedAt: 'x',
    } });
    expect(await handler({}, context)).toMatchObject({ alreadyPublished: true, published: 1 });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('never writes names, addresses, phones or tax codes to the logs', async () => {
    // Everything handed to the logger, whatever the level (it is set per invocation from the environment).
    const lines: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(logger, m).mockImplementation((...args: unknown[]) => { lines.push(JSON.stringify(args)); }));
    try {
      await handler({}, context);
      const written = lines.join('\n');
      expect(written).toContain('Disclosure run finished');
      for (const value of PERSONAL) expect(written).not.toContain(value);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
