import '../local/embedded/quiet.ts';
import '../local/embedded/polyfills.ts';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import pLimit from 'p-limit';
import { createTable, documentClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../functions/commons/dynamo-store.ts';
import { DynamoReminderStore } from '../functions/commons/reminder-store.ts';
import { assembleDeps } from '../functions/commons/deps.ts';
import { loadOffice } from '../infra/office-config.ts';
import { fixedClock } from '../functions/commons/clock.ts';
import type { Participant } from '../functions/commons/reminder-records.ts';
import { policyFor } from '../functions/core/policy.ts';
import { actionsOf } from '../functions/core/reminder-schedule.ts';
import { runReminders } from '../functions/steps/reminder-run.ts';
import { startDynaliteProcess } from './dynalite-process.ts';

/**
 * Benchmark of the daily reminder run: N cycles due the same day (the busiest case: every
 * participant's 15-days-before SMS at once), read from the reminder index and sent by a stand-in
 * SMS provider that takes `--provider-ms` per message (SNS's own latency in AWS). dynalite runs in
 * its own process, in memory. Prints cycles per second and the peak RSS, and what one 15-minute
 * invocation would handle at that rate (the run stops a minute early; the hourly reruns take the rest).
 */
const { values } = parseArgs({ options: { cycles: { type: 'string', default: '5000' }, 'provider-ms': { type: 'string', default: '0,40' } } });
const CYCLES = Number(values.cycles);
const PROVIDER_MS = values['provider-ms'].split(',').map(Number);
const TODAY = '2026-11-15';
const COVERED_UNTIL = '2026-11-30';
const policy = policyFor(TODAY);
const AGENT = { officerId: 'dl.bench.agent', name: 'Đại lý thu', email: 'agent@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collection-agent' as const, active: true, phone: '0915000999' };

const firstStep = actionsOf(COVERED_UNTIL, policy.reminders)[0]!;
if (firstStep.date !== TODAY) throw new Error(`The bench expects the first reminder on ${TODAY}, the policy has ${firstStep.date}`);

const participant = (i: number): Participant => {
  const siCode = String(2_700_000_000 + i);
  return {
    siCode, name: 'Người tham gia', dateOfBirth: '1980-01-01', phone: `09${siCode.slice(2)}`, email: undefined, commune: 'Bắc Sơn', agentId: AGENT.officerId,
    preferredChannel: 'sms', locale: 'vi', consent: true, optOut: false, method: 'quarterly', chosenIncome: 3_000_000, supportGroup: 'other', supportMonthsUsed: 0, paidThrough: '2026-11',
  };
};

async function measure(endpoint: string, providerMs: number) {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 10 });
  const table = `reminders-${providerMs}`;
  await createTable(client, table);
  const doc = documentClient(client);
  const store = new DynamoArrearsStore(doc, table);
  const reminders = new DynamoReminderStore(doc, table);
  await store.putOfficers([AGENT]);
  const participants = Array.from({ length: CYCLES }, (_, i) => participant(i));
  await reminders.putParticipants(participants);
  const limit = pLimit(16);
  await Promise.all(participants.map((p) => limit(() => reminders.upsertCycle({ kind: 'vsi', code: p.siCode, coveredUntil: COVERED_UNTIL, commune: p.commune, agentId: p.agentId }, TODAY))));

  let sent = 0;
  const deps = assembleDeps({
    store, reminders, ses: new SESClient({ region: LOCAL_REGION }), 
    sms: { send: async () => { if (providerMs > 0) await new Promise((r) => setTimeout(r, providerMs)); return `sms-${++sent}`; } },
    clock: fixedClock(() => new Date(`${TODAY}T08:00:00+07:00`)), office: loadOffice(),
  });
  const started = process.hrtime.bigint();
  const summary = await runReminders(deps, {});
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  client.destroy();
  if (summary.sent.sms !== CYCLES) throw new Error(`Expected ${CYCLES} SMS, the run sent ${summary.sent.sms}`);
  return { providerMs, seconds, perSecond: CYCLES / seconds };
}

const { endpoint, child } = await startDynaliteProcess('warmup');
try {
  console.log(`Reminder run benchmark: ${CYCLES} cycles due on ${TODAY}, dynalite in its own process (in memory)\n`);
  console.log('  provider ms/SMS   run s   cycles/s   per 14-min invocation');
  for (const ms of PROVIDER_MS) {
    const r = await measure(endpoint, ms);
    console.log(`  ${String(ms).padStart(15)} ${r.seconds.toFixed(1).padStart(7)} ${r.perSecond.toFixed(0).padStart(10)} ${Math.round(r.perSecond * 14 * 60).toLocaleString('en').padStart(23)}`);
  }
  console.log(`\n  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (this process: the runs, not the store)`);
} finally {
  child.kill();
}
