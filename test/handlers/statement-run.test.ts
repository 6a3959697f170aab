import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { clock } from '../../functions/commons/clock.ts';
import { logger } from '../../functions/commons/logger.ts';
import { handler } from '../../functions/handlers/statement-run.ts';
import { keys } from '../../functions/commons/table.ts';
import { context, employer, paymentItem, periodItem, PERSONAL, policy, profileItem, LedgerScanCommand, wire } from './fixtures.ts';
import { loadOffice } from '../../infra/office-config.ts';

process.env.TABLE_NAME = 'arrears-test';
const db = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);

const UNIT = employer.unitCode;
const ledger = [
  profileItem(),
  ...['2026-08', '2026-09', '2026-10'].map((p) => periodItem(UNIT, p, 20_000_000)),
  paymentItem(UNIT, 'UNC-1', '2026-09-30', 20_000_000),
];

describe('statement-run handler', () => {
  beforeEach(() => {
    db.reset();
    ses.reset();
    clock.setNow(new Date(`2026-11-02T0${policy.statement.hour}:00:00+07:00`));
    db.on(LedgerScanCommand).callsFake((input: { Segment?: number }) => ({ Items: input.Segment === 0 ? wire(ledger) : [] }));
    db.on(QueryCommand).resolves({ Items: ledger });
    db.on(PutCommand).resolves({});
    db.on(UpdateCommand).resolves({});
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'msg-1' });
  });

  it('claims the unit\'s statement, sends it from the notices\' sender with its PDF, and records the send', async () => {
    const summary = await handler({}, context);
    expect(summary).toMatchObject({ date: '2026-11-02', cycle: '2026-11', unitsScanned: 1, statements: { sent: 1 } });
    expect(db).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ ...keys.notice(UNIT, '2026-11', 'statement'), kind: 'statement', status: 'claimed' }),
    });
    expect(db).toHaveReceivedCommandWith(QueryCommand, { ConsistentRead: true });
    expect(ses).toHaveReceivedCommandWith(SendRawEmailCommand, { Source: loadOffice().email.notices, Destinations: [employer.email] });
    const raw = Buffer.from(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.RawMessage!.Data!).toString('latin1');
    expect(raw).toMatch(/Content-Type: application\/pdf;[\s\S]*thong-bao-ket-qua-dong-2026-11-ta0012345\.pdf/);
    expect(raw).toMatch(/Content-Type: text\/html/);
    expect(db).toHaveReceivedCommandWith(UpdateCommand, { Key: keys.notice(UNIT, '2026-11', 'statement') });
    expect(db).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining(keys.runSummary('2026-11', 'STATEMENTS#all')) });
  });

  it('sends nothing when the statement was already sent', async () => {
    db.on(PutCommand).callsFake((input: { Item: Record<string, unknown> }) => {
      if (input.Item.kind === 'statement') throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
      return {};
    });
    db.on(GetCommand).resolves({ Item: { ...keys.notice(UNIT, '2026-11', 'statement'), unitCode: UNIT, cycle: '2026-11', kind: 'statement', status: 'sent', claimedAt: 'x' } });
    expect(await handler({ asOf: '2026-11-02' }, context)).toMatchObject({ statements: { sent: 0, alreadySent: 1 } });
    expect(ses).toHaveReceivedCommandTimes(SendRawEmailCommand, 0);
  });

  it('refuses a malformed input with the field and the rule', async () => {
    await expect(handler({ asOf: '2026-13-02' }, context)).rejects.toMatchObject({ name: 'InvalidInput' });
    await expect(handler({ segments: [3] }, context)).rejects.toMatchObject({ name: 'InvalidInput', issues: [{ field: 'segments' }] });
  });

  it('reads only the segments it is given, to fan out', async () => {
    expect(await handler({ segments: [1, 2], totalSegments: 4 }, context)).toMatchObject({ unitsScanned: 0 });
    expect(db.commandCalls(LedgerScanCommand).map((c) => [c.args[0].input.Segment, c.args[0].input.TotalSegments])).toEqual([[1, 4], [2, 4]]);
  });

  it('never writes names, addresses, phones or tax codes to the logs', async () => {
    const lines: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(logger, m).mockImplementation((...args: unknown[]) => { lines.push(JSON.stringify(args)); }));
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error(`Address ${employer.email} rejected`), { name: 'MessageRejected' }));
    try {
      expect(await handler({}, context)).toMatchObject({ statements: { refused: 1 } });
      const written = lines.join('\n');
      expect(written).toContain('Statement run finished');
      for (const value of PERSONAL) expect(written).not.toContain(value);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
