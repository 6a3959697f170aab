import '../local/embedded/quiet.ts';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { documentClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../functions/commons/dynamo-store.ts';
import { runMonthlyCycle } from '../functions/steps/monthly-run.ts';
import { policyFor } from '../functions/core/policy.ts';
import { clock } from '../functions/commons/clock.ts';
import { storePorts } from '../functions/commons/deps.ts';
import { DEFAULT_DEPLOYMENT } from '../infra/deployment-config.ts';

/**
 * One measurement in a fresh process, so its peak RSS is its own: either a raw parallel scan of
 * the table (the floor), or the monthly run's classification over the same table. Prints JSON.
 */
const { values } = parseArgs({
  options: { endpoint: { type: 'string' }, table: { type: 'string' }, mode: { type: 'string' }, 'as-of': { type: 'string' }, segments: { type: 'string' } },
});
const endpoint = values.endpoint!;
const table = values.table!;
const asOf = values['as-of']!;
const totalSegments = Number(values.segments ?? DEFAULT_DEPLOYMENT.scan.segments);
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 10 });

async function rawScan() {
  let items = 0;
  await Promise.all(Array.from({ length: totalSegments }, async (_, segment) => {
    let key: Record<string, never> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, Segment: segment, TotalSegments: totalSegments, ExclusiveStartKey: key, Limit: 1000 }));
      items += page.Items?.length ?? 0;
      key = page.LastEvaluatedKey as typeof key;
    } while (key);
  }));
  return { items, units: undefined as number | undefined };
}

async function classify() {
  clock.setNow(new Date(`${asOf}T06:00:00+07:00`));
  // Executions are counted, not started: the benchmark times reading and deciding.
  const workflow = { startEscalation: async () => 'started' as const, resumeTask: async () => 'gone' as const };
  const summary = await runMonthlyCycle(
    { ...storePorts(new DynamoArrearsStore(documentClient(client), table)), workflow, clock, policyFor: (d) => policyFor(d) },
    { asOf, totalSegments },
    {},
    // The benchmark's store is its own: a measurement cut short leaves a lease the next one takes back.
    { runId: 'bench' },
  );
  return { items: undefined as number | undefined, units: summary.unitsScanned, delinquent: summary.delinquent, debtRatioPercent: summary.debtRatioPercent };
}

const started = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const result = values.mode === 'raw' ? await rawScan() : await classify();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpu0);
// maxRSS is in kilobytes: the process's peak resident set.
console.log(JSON.stringify({ mode: values.mode, seconds, userCpuSeconds: cpu.user / 1e6, systemCpuSeconds: cpu.system / 1e6, ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
client.destroy();
