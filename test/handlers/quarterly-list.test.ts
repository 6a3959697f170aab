import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clock } from '../../functions/commons/clock.ts';
import { logger } from '../../functions/commons/logger.ts';
import { handler } from '../../functions/handlers/quarterly-list.ts';
import { keys } from '../../functions/commons/table.ts';
import { context, employer, paymentItem, periodItem, PERSONAL, profileItem, LedgerScanCommand, wire } from './fixtures.ts';

process.env.TABLE_NAME = 'arrears-test';
process.env.DOCUMENTS_BUCKET = 'arrears-documents';
process.env.DOCUMENTS_KEY_ARN = 'arn:aws:kms:ap-southeast-1:000000000000:key/1234';
const db = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);

const unit = (code: string, name: string) => ({ ...employer, unitCode: code, name });
const profiles = [unit('EVAD0001', employer.name), unit('LATE0001', 'Công ty "Sao Mai", chi nhánh 2'), unit('PAID0001', 'Công ty Đã Đóng')];
const items = [
  // 2026-09 due 2026-10-31: 61 days past it on 2026-12-31, evasion.
  profileItem(profiles[0]), periodItem('EVAD0001', '2026-09', 10_000_000),
  // 2026-10 due 2026-11-30: 31 days, late.
  profileItem(profiles[1]), periodItem('LATE0001', '2026-10', 10_000_000),
  profileItem(profiles[2]), periodItem('PAID0001', '2026-10', 10_000_000), paymentItem('PAID0001', 'R1', '2026-11-20', 10_000_000),
];

describe('quarterly-list handler', () => {
  beforeEach(() => {
    db.reset();
    s3.reset();
    clock.setNow(new Date('2027-01-05T07:00:00+07:00'));
    // Eight scan segments: the items come back once, in segment 0.
    db.on(LedgerScanCommand).callsFake((input: { Segment?: number }) => ({ Items: input.Segment === 0 ? wire(items) : [] }));
    db.on(GetCommand).callsFake((input: { Key: { pk: string } }) => ({ Item: profiles.map((p) => profileItem(p)).find((p) => p.pk === input.Key.pk) }));
    s3.on(PutObjectCommand).resolves({});
  });

  it('writes the list of the quarter before under its key, encrypted with the stack key, and records the run', async () => {
    const summary = await handler({}, context);
    expect(summary).toMatchObject({ quarter: '2026-Q4', asOf: '2026-12-31', unitsScanned: 3, late: 1, evading: 1, key: 'quarterly/2026-Q4/late-and-evading.csv' });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'arrears-documents',
      Key: 'quarterly/2026-Q4/late-and-evading.csv',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: process.env.DOCUMENTS_KEY_ARN,
      ContentType: 'text/csv; charset=utf-8',
    });
    const body = String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body);
    const lines = body.split('\r\n');
    expect(lines[1]).toMatch(/^EVAD0001,Công ty TNHH May mặc Hoà Bình,2700123456,Tam Điệp,trốn đóng,/);
    expect(lines[2]).toMatch(/^LATE0001,"Công ty ""Sao Mai"", chi nhánh 2",2700123456,Tam Điệp,chậm đóng,/);
    expect(body).not.toContain('PAID0001');
    // Only the listed units' profiles are read.
    expect(db.commandCalls(GetCommand).map((c) => c.args[0].input.Key).sort((a, b) => String(a?.pk).localeCompare(String(b?.pk)))).toEqual([keys.employer('EVAD0001'), keys.employer('LATE0001')]);
    expect(db).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ ...keys.runSummary('2026-Q4', 'QUARTERLY-LIST'), late: 1, evading: 1 }) });
  });

  it('writes the same bytes to the same key when run again for the quarter', async () => {
    await handler({}, context);
    clock.setNow(new Date('2027-01-12T10:00:00+07:00'));
    await handler({ quarter: '2026-Q4' }, context);
    const [first, second] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(second!.Key).toBe(first!.Key);
    expect(second!.Body).toBe(first!.Body);
  });

  it('refuses a quarter that has not ended, or is malformed', async () => {
    await expect(handler({ quarter: '2027-Q1' }, context)).rejects.toMatchObject({ name: 'InvalidInput', issues: [{ field: 'quarter' }] });
    await expect(handler({ quarter: '2026-Q5' }, context)).rejects.toMatchObject({ name: 'InvalidInput', issues: [{ field: 'quarter' }] });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });

  it('never writes names or tax codes to the logs', async () => {
    // Everything handed to the logger, whatever the level (it is set per invocation from the environment).
    const lines: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(logger, m).mockImplementation((...args: unknown[]) => { lines.push(JSON.stringify(args)); }));
    try {
      await handler({}, context);
      const written = lines.join('\n');
      expect(written).toContain('Quarterly list made');
      for (const value of PERSONAL) expect(written).not.toContain(value);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
