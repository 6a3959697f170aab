import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient, StartExecutionCommand, ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { clock } from '../../functions/commons/clock.ts';
import { handler } from '../../functions/handlers/monthly-run.ts';
import { context, employer, paymentItem, periodItem, profileItem, LedgerScanCommand, wire } from './fixtures.ts';
import { keys } from '../../functions/commons/table.ts';
import type { MonthlyRunPart } from '../../functions/steps/monthly-run.ts';

process.env.TABLE_NAME = 'arrears-test';
process.env.STATE_MACHINE_ARN = 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:Escalation';
const db = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

const unit = (code: string) => ({ ...employer, unitCode: code });
const items = [
  // Paid up.
  profileItem(unit('PAID0001')), periodItem('PAID0001', '2026-09', 10_000_000), paymentItem('PAID0001', 'R1', '2026-10-20', 10_000_000),
  // One month behind.
  profileItem(unit('LATE0001')), periodItem('LATE0001', '2026-09', 10_000_000),
  // Three months behind, with a malformed period beside it.
  profileItem(unit('LATE0003')), periodItem('LATE0003', '2026-07', 10_000_000), { ...periodItem('LATE0003', '2026-08', 1), amountDue: 1.5 },
];

describe('monthly-run handler', () => {
  beforeEach(() => {
    db.reset();
    sfn.reset();
    clock.setNow(new Date('2026-11-02T06:00:00+07:00'));
    db.on(LedgerScanCommand).resolves({ Items: wire(items) });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
  });

  it('starts one escalation per delinquent unit, named by unit and cycle', async () => {
    const summary = (await handler({ totalSegments: 1 }, context)) as MonthlyRunPart;
    const names = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name).sort();
    expect(names).toEqual(['LATE0001-2026-11', 'LATE0003-2026-11']);
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toMatchObject({ cycle: '2026-11', asOf: '2026-11-02' });
    expect(summary).toMatchObject({ cycle: '2026-11', unitsScanned: 3, paidUp: 1, delinquent: 2, executionsStarted: 2 });
    expect(summary.byStage).toEqual({ 'urging-notice': 1, 'officer-visit': 0, inspection: 1 });
  });

  it('reports a malformed item with its key and reason, and still follows up the rest', async () => {
    const summary = (await handler({ totalSegments: 1 }, context)) as MonthlyRunPart;
    expect(summary.malformed).toBe(1);
    expect(summary.malformedSamples[0]).toEqual({ key: 'EMP#LATE0003 PERIOD#2026-08', reason: 'amountDue must be whole dong' });
    expect(summary.byStage.inspection).toBe(1);
  });

  it('counts an escalation already started by an earlier run instead of starting it again', async () => {
    sfn.on(StartExecutionCommand, { name: 'LATE0001-2026-11' }).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const summary = (await handler({ totalSegments: 1 }, context)) as MonthlyRunPart;
    expect(summary).toMatchObject({ executionsStarted: 1, executionsAlreadyStarted: 1 });
  });

  it('computes the debt ratio from arrears over receivable and keeps the run summary', async () => {
    const summary = (await handler({ totalSegments: 1 }, context)) as MonthlyRunPart;
    expect(summary.arrears).toBe(20_000_000);
    expect(summary.receivable).toBe(30_000_000); // the malformed period is not counted
    expect(summary.debtRatioPercent).toBe(66.67);
    expect(db).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining(keys.runSummary('2026-11')) });
  });

  it('counts a unit on hold and starts nothing for it', async () => {
    // An item collection comes back together: the hold sits with LATE0001's other items.
    const at = items.findIndex((i) => i.pk === 'EMP#LATE0001') + 1;
    db.on(LedgerScanCommand).resolves({ Items: wire([...items.slice(0, at), { ...keys.hold('LATE0001'), reason: 'force-majeure', until: '2026-12-31' }, ...items.slice(at)]) });
    const summary = (await handler({ totalSegments: 1 }, context)) as MonthlyRunPart;
    expect(summary).toMatchObject({ onHold: 1, delinquent: 1, executionsStarted: 1 });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['LATE0003-2026-11']);
  });

  it('rejects segments without totalSegments', async () => {
    await expect(handler({ segments: [0] }, context)).rejects.toMatchObject({ name: 'InvalidInput' });
  });
});
