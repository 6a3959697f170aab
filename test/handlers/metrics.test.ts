import { emptyTally } from '../../functions/core/delivery-tally.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CognitoIdentityProviderClient, ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { clock } from '../../functions/commons/clock.ts';
import type { CollectionReport } from '../../functions/core/collection-report.ts';
import { METRICS, METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/core/metric-names.ts';
import { employeeNoticeRunMetrics, redriveMetrics, reminderRunMetrics, statementRunMetrics } from '../../functions/core/metric-points.ts';
import { context, employer, paymentItem, periodItem, PERSONAL, profileItem, LedgerScanCommand, wire } from './fixtures.ts';

/**
 * The metrics the handlers publish, read back from their EMF lines on stdout (metrics on in this
 * file only): the figures they carry, and no name, phone, email, tax code or SI code in them.
 */
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
import type { MonthlyRunPart } from '../../functions/steps/monthly-run.ts';

process.env.TABLE_NAME = 'arrears-test';
process.env.STATE_MACHINE_ARN = 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:Escalation';
const documentsDir = await mkdtemp(join(tmpdir(), 'metrics-'));
process.env.DOCUMENTS_DIR = documentsDir;
// The report's email to the managers reads the pool's manager group: none here.
process.env.USER_POOL_ID = 'ap-southeast-1_metrics';
process.env.INBOX_URL = 'https://inbox.example.vn/inbox';
// Imported after the switch: the shared Metrics instance reads it when it is made.
const { handler: monthlyRun } = await import('../../functions/handlers/monthly-run.ts');
const { handler: collectionReport } = await import('../../functions/handlers/collection-report.ts');
const { emitMetrics, metrics } = await import('../../functions/commons/metrics.ts');

const db = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockClient(CognitoIdentityProviderClient).on(ListUsersInGroupCommand).resolves({ Users: [] });
const unit = (code: string) => ({ ...employer, unitCode: code });
const items = [
  profileItem(unit('PAID0001')), periodItem('PAID0001', '2026-09', 10_000_000), paymentItem('PAID0001', 'R1', '2026-10-20', 10_000_000),
  profileItem(unit('LATE0001')), periodItem('LATE0001', '2026-09', 10_000_000),
  profileItem(unit('LATE0003')), periodItem('LATE0003', '2026-07', 10_000_000), periodItem('LATE0003', '2026-08', 12_000_000),
];
const SI_CODE = '3712345678';

interface Emf {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}
let lines: string[] = [];
const emf = (): Emf[] => lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Emf);
/** The value of a metric in the lines whose dimensions are exactly these (besides service). */
const valueOf = (name: string, dimensions: Record<string, string> = {}) => {
  const found = emf().filter((e) => e[name] !== undefined && Object.entries(dimensions).every(([k, v]) => e[k] === v)
    && e._aws.CloudWatchMetrics[0]!.Dimensions[0]!.length === Object.keys(dimensions).length + 1);
  expect(found, `${name} ${JSON.stringify(dimensions)}`).toHaveLength(1);
  return found[0]![name];
};

beforeAll(() => {
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) { lines.push(...text.split('\n').filter(Boolean)); return true; }
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
});
afterAll(() => vi.restoreAllMocks());
beforeEach(() => {
  lines = [];
  db.reset();
  sfn.reset();
  clock.setNow(new Date('2026-11-02T06:00:00+07:00'));
  db.on(LedgerScanCommand).resolves({ Items: wire(items) });
  db.on(QueryCommand).resolves({ Items: [] });
  db.on(PutCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
});

const expectNoPersonalData = () => {
  const text = lines.join('\n');
  expect(text.length).toBeGreaterThan(0);
  for (const value of [...PERSONAL, SI_CODE, 'PAID0001', 'LATE0001', 'LATE0003']) expect(text).not.toContain(value);
  for (const e of emf()) {
    expect(e._aws.CloudWatchMetrics[0]!.Namespace).toBe(METRICS_NAMESPACE);
    expect(e.service).toBe(SERVICE_NAME);
    // Every dimension value is ASCII (CloudWatch's rule): no diacritics left.
    for (const d of e._aws.CloudWatchMetrics[0]!.Dimensions.flat()) expect(String(e[d])).toMatch(/^[\x20-\x7e]+$/);
  }
};

describe('metrics', () => {
  it('the monthly run publishes its counts once per invocation, and nothing personal', async () => {
    const summary = (await monthlyRun({ totalSegments: 1 }, context)) as MonthlyRunPart;
    expectNoPersonalData();
    expect(valueOf(METRICS.unitsScanned.name)).toBe(summary.unitsScanned);
    expect(valueOf(METRICS.escalationsStarted.name)).toBe(2);
    expect(valueOf(METRICS.malformedRecords.name)).toBe(summary.malformed);
    expect(valueOf(METRICS.escalationsByStage.name, { stage: 'inspection' })).toBe(summary.byStage.inspection);
    expect(valueOf(METRICS.escalationsByStage.name, { stage: 'urging-notice' })).toBe(summary.byStage['urging-notice']);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('the collection report publishes the report\'s own figures, office and district (unaccented)', async () => {
    clock.setNow(new Date('2026-11-02T12:00:00+07:00'));
    await collectionReport({ asOf: '2026-11-02' }, context);
    expectNoPersonalData();
    const report = JSON.parse(await readFile(join(documentsDir, 'reports', '2026-11-02', 'report.json'), 'utf8')) as CollectionReport;
    const district = report.districts[0]!;
    expect(report.office.arrears).toBeGreaterThan(0);
    for (const [dims, figures] of [[{}, report.office], [{ district: 'Tam Diep' }, district]] as const) {
      expect(valueOf(METRICS.receivable.name, dims)).toBe(figures.receivable);
      expect(valueOf(METRICS.collected.name, dims)).toBe(figures.collected);
      expect(valueOf(METRICS.arrears.name, dims)).toBe(figures.arrears);
      expect(valueOf(METRICS.debtRatio.name, dims)).toBe(figures.debtRatioPercent);
      expect(valueOf(METRICS.evadingUnits.name, dims)).toBe(figures.evading);
      for (const band of ['1', '2', '3-5', '6+'] as const) {
        expect(valueOf(METRICS.unitsOverdue.name, { ...dims, monthsOverdue: band })).toBe(figures.byMonthsOverdue[band]);
      }
    }
    expect(valueOf(METRICS.openTasks.name)).toBe(0);
    expect(valueOf(METRICS.renewalRate.name)).toBe(report.participants!.total.renewalRatePercent);
    expect(emf().flatMap((e) => e._aws.CloudWatchMetrics[0]!.Metrics).find((m) => m.Name === METRICS.debtRatio.name)!.Unit).toBe('Percent');
  });

  it('the reminder run\'s counts go out by channel', () => {
    emitMetrics(reminderRunMetrics({ sent: { sms: 7, zns: 9, email: 3 }, deferred: 2, failed: 1, skipped: 5, unfinished: 6, agentTasks: 4 }));
    metrics.publishStoredMetrics();
    expect(valueOf(METRICS.remindersSent.name, { channel: 'sms' })).toBe(7);
    expect(valueOf(METRICS.remindersSent.name, { channel: 'zns' })).toBe(9);
    expect(valueOf(METRICS.remindersSent.name, { channel: 'email' })).toBe(3);
    expect(valueOf(METRICS.remindersDeferred.name)).toBe(2);
    expect(valueOf(METRICS.remindersFailed.name)).toBe(1);
    expect(valueOf(METRICS.agentTasks.name)).toBe(4);
    expect(valueOf(METRICS.remindersSkipped.name)).toBe(5);
    expect(valueOf(METRICS.reminderCyclesUnfinished.name)).toBe(6);
  });

  it('the statement run\'s counts: sent, waiting for the redrive (failed, throttled), and not going out by itself (bad record, refused, given up)', () => {
    emitMetrics(statementRunMetrics({ statements: { ...emptyTally(), sent: 12, failed: 1, pending: 4, badRecord: 2, refused: 1 } }));
    metrics.publishStoredMetrics();
    expect(valueOf(METRICS.statementsSent.name)).toBe(12);
    expect(valueOf(METRICS.messagesPending.name)).toBe(5);
    expect(valueOf(METRICS.statementsNotSent.name)).toBe(3);
  });

  it('the employee notice run\'s counts: office-wide only (no unit, no employee, no dimension beside service), by channel as separate metrics', () => {
    emitMetrics(employeeNoticeRunMetrics({
      employees: { ...emptyTally(), sent: 9, alreadySent: 4, failed: 2, pending: 1, inProgress: 1, refused: 1, badRecord: 1 },
      sentBy: { sms: 6, email: 3 },
      skipped: { notInUnpaidMonths: 5, noConsent: 2, noContact: 1, optedOut: 3 },
      units: { ...emptyTally(), sent: 2, alreadySent: 1, failed: 1, refused: 1 },
    }));
    metrics.publishStoredMetrics();
    expect(valueOf(METRICS.employeeNoticesSentSms.name)).toBe(6);
    expect(valueOf(METRICS.employeeNoticesSentEmail.name)).toBe(3);
    expect(valueOf(METRICS.employeeNoticesAlreadySent.name)).toBe(4);
    // No consent or no contact; opted out (STOP, bounce, complaint).
    expect(valueOf(METRICS.employeeNoticesNoChannel.name)).toBe(3);
    expect(valueOf(METRICS.employeeNoticesOptedOut.name)).toBe(3);
    // Will not go out by itself: the employees' refused and bad record, the unit's refused.
    expect(valueOf(METRICS.employeeNoticesNotSent.name)).toBe(3);
    // Waiting for a rerun or the redrive: failed, throttled, in progress; the unit's failed email.
    expect(valueOf(METRICS.employeeNoticesPending.name)).toBe(5);
    expect(valueOf(METRICS.messagesPending.name)).toBe(5);
    expect(valueOf(METRICS.unitsInformed.name)).toBe(2);
    for (const e of emf()) expect(e._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
  });

  it('the redrive\'s counts: pending and past deadline, and of the employees\' notices what it could not send, what waits and what is past the 15th', () => {
    emitMetrics(redriveMetrics({
      sent: 3, stillDue: 6, pastDeadline: 4, employeeNoticesPastDeadline: 3,
      employeeNotices: { ...emptyTally(), sent: 3, failed: 3, refused: 1 },
    }));
    metrics.publishStoredMetrics();
    expect(valueOf(METRICS.messagesPending.name)).toBe(6);
    expect(valueOf(METRICS.messagesPastDeadline.name)).toBe(4);
    expect(valueOf(METRICS.employeeNoticesPastDeadline.name)).toBe(3);
    expect(valueOf(METRICS.employeeNoticesNotSent.name)).toBe(1);
    expect(valueOf(METRICS.employeeNoticesPending.name)).toBe(3);
  });
});
