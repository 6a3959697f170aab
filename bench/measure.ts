import '../local/embedded/quiet.ts';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoArrearsStore, LEDGER_SCAN } from '../functions/commons/dynamo-store.ts';
import { runMonthlyCycle } from '../functions/steps/monthly-run.ts';
import { policyFor } from '../functions/core/policy.ts';
import { clock } from '../functions/commons/clock.ts';
import { storePorts } from '../functions/commons/deps.ts';
import { StepFunctionsWorkflow, START_BACKOFF } from '../functions/commons/workflow.ts';
import { DEFAULT_DEPLOYMENT } from '../infra/deployment-config.ts';

/**
 * One measurement in a fresh process, so its peak RSS and CPU time are its own (bench/monthly-run.bench.ts
 * bundles this file as a Lambda function is bundled, and runs the bundle):
 * - `raw`: a parallel scan of the table with the low-level client, nothing decoded (the floor), of
 *   every item and attribute, or (`--filtered`) of what the ledger scan asks for;
 * - `classify`: the monthly run's classification over the same table (starts counted, not made);
 * - `starts`: escalation starts through the Step Functions adapter against a local endpoint (CPU per start).
 * Prints one line of JSON.
 */
const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' }, table: { type: 'string' }, mode: { type: 'string' }, 'as-of': { type: 'string' }, segments: { type: 'string' },
    'sfn-endpoint': { type: 'string' }, starts: { type: 'string' }, prefix: { type: 'string' }, filtered: { type: 'boolean', default: false },
  },
});
const asOf = values['as-of'] ?? '2026-11-02';
const totalSegments = Number(values.segments ?? DEFAULT_DEPLOYMENT.scan.segments);
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
// dynalite's own module (a native store) stays out of the bundle: the same settings as local/embedded/dynalite.ts.
const credentials = { region: 'ap-southeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 10 };

async function rawScan() {
  const client = new DynamoDBClient({ endpoint: values.endpoint!, ...credentials });
  let items = 0;
  let capacity = 0;
  await Promise.all(Array.from({ length: totalSegments }, async (_, segment) => {
    let key: Record<string, never> | undefined;
    do {
      const page = await client.send(new ScanCommand({
        TableName: values.table!, Segment: segment, TotalSegments: totalSegments, ExclusiveStartKey: key, Limit: 1000, ReturnConsumedCapacity: 'TOTAL',
        // `--filtered`: the ledger scan's own filter and projection, so the floor reads exactly what the run reads.
        ...(values.filtered ? LEDGER_SCAN : {}),
      }));
      items += page.Items?.length ?? 0;
      capacity += page.ConsumedCapacity?.CapacityUnits ?? 0;
      key = page.LastEvaluatedKey as typeof key;
    } while (key);
  }));
  client.destroy();
  return { items, readUnits: capacity };
}

async function classify() {
  const client = new DynamoDBClient({ endpoint: values.endpoint!, ...credentials });
  clock.setNow(new Date(`${asOf}T06:00:00+07:00`));
  // Executions are counted, not started: this times reading and deciding.
  const workflow = { startEscalation: async () => 'started' as const, resumeTask: async () => 'gone' as const };
  const summary = await runMonthlyCycle(
    { ...storePorts(new DynamoArrearsStore(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), values.table!)), workflow, clock, policyFor: (d) => policyFor(d) },
    { asOf, totalSegments },
    {},
    // The benchmark's store is its own: a measurement cut short leaves a lease the next one takes back.
    { runId: 'bench' },
  );
  client.destroy();
  return { units: summary.unitsScanned, delinquent: summary.delinquent, debtRatioPercent: summary.debtRatioPercent };
}

async function starts() {
  const n = Number(values.starts ?? 2000);
  const sfn = new SFNClient({ endpoint: values['sfn-endpoint']!, ...credentials });
  // Unpaced: the quota is the capacity table's business; this is the CPU a start costs the caller.
  const workflow = new StepFunctionsWorkflow(sfn, 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:EscalationWorkflow', { bucket: 1e9, perSecond: 1e9, backoff: START_BACKOFF });
  let next = 0;
  let started = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < n) {
      const i = next++;
      await workflow.startEscalation({ unitCode: `${values.prefix ?? 'B'}${String(i).padStart(6, '0')}`, cycle: '2026-11', asOf });
      started++;
    }
  }));
  sfn.destroy();
  return { starts: started };
}

const started = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const result = values.mode === 'raw' ? await rawScan() : values.mode === 'starts' ? await starts() : await classify();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpu0);
// maxRSS is in kilobytes: the process's peak resident set.
console.log(JSON.stringify({ mode: values.mode, seconds, userCpuSeconds: cpu.user / 1e6, systemCpuSeconds: cpu.system / 1e6, ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
