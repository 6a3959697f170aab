import { DEFAULT_DEPLOYMENT, startExecutionShare, type DeploymentConfig } from '../infra/deployment-config.ts';

/**
 * The national cycle's capacity, computed from what the benchmark measured here and the quotas
 * (bench/monthly-run.bench.ts prints it). Every figure that is not measured is named here with its
 * source, so the table can be checked and redone with other prices or quotas.
 */
export const NATIONAL = { units: 500_000, delinquent: 100_000, voluntary: 2_000_000, householdCards: 10_000_000 } as const;

/** Prices used (USD, list prices; check the AWS price list for ap-southeast-1 before relying on them). */
export const PRICES = {
  /** Step Functions Standard, per state transition ($0.025 per 1,000). */
  stateTransition: 0.025 / 1000,
  /** Lambda arm64, per GB-second ($0.0000133334) and per request ($0.20 per million). */
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  /** DynamoDB on-demand, per read and write request unit ($0.125 and $0.625 per million, the 2024 on-demand prices). */
  readUnit: 0.125 / 1e6,
  writeUnit: 0.625 / 1e6,
  /** SES, per email ($0.10 per 1,000) and per GB of attachments ($0.12). */
  email: 0.1 / 1000,
  attachmentGb: 0.12,
  /** A brand-name SMS in Vietnam: 500–1,000 VND (shared/DOMAIN.md); 800 VND at 25,500 VND a dollar. */
  sms: 800 / 25_500,
} as const;

/** Assumptions that are not measured here, each with why. */
export const ASSUMED = {
  /** Lambda gives 1 vCPU at 1,769 MB: a 1,024 MB function has 0.58 of one; one core of this machine is taken as one vCPU. */
  vcpuAt1024Mb: 1024 / 1769,
  /** The statement's PDF: ~35 ms of CPU (npm run bench:statements; infra/deployment-config.ts). */
  statementPdfCpuMs: 35,
  /** A statement's PDF attachment, about 60 KB. */
  statementPdfKb: 60,
  /** The SES sending rate after the production-access request (an account quota, raised on request). */
  sesPerSecond: 100,
  /** Step Functions state transitions in ap-southeast-1: a bucket of 800 refilled at 500 a second (shared/DOMAIN.md). */
  transitionsPerSecond: 500,
  /** Household HI cards per household (the sample: 143 cards in 40 households). */
  cardsPerHousehold: 143 / 40,
  /** Reminder messages per payer per month and their split (the sample's local run: 0.68–0.88 a month, two SMS to one email). */
  remindersPerPayerMonth: 0.8,
  smsShare: 2 / 3,
  /** Scans of every ledger a month: monthly run, statement run, collection report, disclosure run, the quarterly list a third of the time. */
  scansPerMonth: 4 + 1 / 3,
  /** Lambda duration per escalation task (ms at 512 MB): a few DynamoDB calls, a send. */
  escalationTaskMs: 150,
} as const;

export interface Measured {
  /** Classification CPU per unit, ms (user + system), on one core here. */
  classifyCpuMsPerUnit: number;
  /** CPU a StartExecution costs the caller, ms. */
  startCpuMs: number;
  /** Read units a full scan consumed per unit (dynalite's ConsumedCapacity). */
  readUnitsPerUnit: number;
  /** State transitions and Lambda tasks per escalation (the sample's cycle on the local stack, nobody answering: the long path). */
  transitionsPerEscalation: number;
  tasksPerEscalation: number;
}

export interface Phase {
  phase: string;
  wallMinutes: number;
  lambdaSeconds: number;
  transitions: number;
  messages: string;
  note: string;
}

/** Phases of a national month, with their wall time, Lambda-seconds (at the function's memory, GB-s in the cost) and state transitions. */
export function nationalCapacity(m: Measured, config: DeploymentConfig = DEFAULT_DEPLOYMENT, quota = config.stepFunctions.startExecution) {
  const { segments, concurrency } = config.monthlyRun;
  const share = startExecutionShare({ ...config, stepFunctions: { startExecution: quota } });
  const unitsPerSegment = NATIONAL.units / segments;
  const delinquentPerSegment = NATIONAL.delinquent / segments;
  const waves = Math.ceil(segments / concurrency);
  // A segment classifies as fast as its CPU allows and starts at its share of the quota, the two alongside.
  const classifySegmentS = (unitsPerSegment * m.classifyCpuMsPerUnit) / 1000 / ASSUMED.vcpuAt1024Mb;
  const startSegmentS = Math.max(0, delinquentPerSegment - share.bucket) / share.perSecond + (delinquentPerSegment * m.startCpuMs) / 1000 / ASSUMED.vcpuAt1024Mb;
  const segmentS = Math.max(classifySegmentS, startSegmentS);
  const monthlyRunS = waves * segmentS + 2; // plan and summary: a second each
  const monthlyTransitions = 3 + segments * 3;
  const monthlyLambdaS = segments * segmentS + 2;

  const escalationTransitions = NATIONAL.delinquent * m.transitionsPerEscalation;
  const escalationLambdaS = NATIONAL.delinquent * m.tasksPerEscalation * (ASSUMED.escalationTaskMs / 1000);
  // The executions' own steps share the account's transition rate: beyond it they are slowed, not lost.
  const escalationWallS = Math.max(NATIONAL.delinquent / ASSUMED.sesPerSecond, escalationTransitions / ASSUMED.transitionsPerSecond);

  const statementCpuS = (NATIONAL.units * ASSUMED.statementPdfCpuMs) / 1000 / ASSUMED.vcpuAt1024Mb;
  const statementWallS = Math.max(statementCpuS / config.statementRun.concurrency, NATIONAL.units / ASSUMED.sesPerSecond);
  const statementLambdaS = statementWallS * config.statementRun.concurrency;

  const payers = NATIONAL.voluntary + NATIONAL.householdCards / ASSUMED.cardsPerHousehold;
  const reminders = payers * ASSUMED.remindersPerPayerMonth;
  const sms = reminders * ASSUMED.smsShare;
  const reminderEmails = reminders - sms;

  const phases: Phase[] = [
    {
      phase: 'monthly run: classify every unit', wallMinutes: (waves * classifySegmentS) / 60, lambdaSeconds: segments * classifySegmentS, transitions: monthlyTransitions, messages: '-',
      note: `${segments} segments of ${unitsPerSegment.toLocaleString('en')} units, ${concurrency} at once, ${m.classifyCpuMsPerUnit.toFixed(3)} ms CPU a unit at ${ASSUMED.vcpuAt1024Mb.toFixed(2)} vCPU`,
    },
    {
      phase: 'monthly run: start every escalation', wallMinutes: (waves * startSegmentS) / 60, lambdaSeconds: segments * startSegmentS, transitions: 0, messages: '-',
      note: `${NATIONAL.delinquent.toLocaleString('en')} starts at ${quota.perSecond}/s after a burst of ${quota.bucket} (each segment ${share.perSecond.toFixed(2)}/s, burst ${share.bucket}), alongside the classification`,
    },
    {
      phase: 'monthly run, end to end', wallMinutes: monthlyRunS / 60, lambdaSeconds: monthlyLambdaS, transitions: monthlyTransitions, messages: '-',
      note: 'plan, the Map (the longer of the two above per segment), summary',
    },
    {
      phase: 'escalations: assess, urging notice, officer tasks', wallMinutes: escalationWallS / 60, lambdaSeconds: escalationLambdaS, transitions: escalationTransitions, messages: `${NATIONAL.delinquent.toLocaleString('en')} email`,
      note: `${m.transitionsPerEscalation.toFixed(1)} transitions and ${m.tasksPerEscalation.toFixed(1)} Lambda tasks an escalation; SES at ${ASSUMED.sesPerSecond}/s, transitions at ${ASSUMED.transitionsPerSecond}/s`,
    },
    {
      phase: 'statement run (every unit, PDF)', wallMinutes: statementWallS / 60, lambdaSeconds: statementLambdaS, transitions: 3 + config.statementRun.segments * 2, messages: `${NATIONAL.units.toLocaleString('en')} email`,
      note: `${ASSUMED.statementPdfCpuMs} ms a PDF, ${config.statementRun.concurrency} segments at once, SES at ${ASSUMED.sesPerSecond}/s`,
    },
    {
      phase: 'reminders (daily runs, a month)', wallMinutes: reminders / ASSUMED.sesPerSecond / 60 / 30, lambdaSeconds: (reminders * 5) / 1000, transitions: 0,
      messages: `${Math.round(sms).toLocaleString('en')} SMS, ${Math.round(reminderEmails).toLocaleString('en')} email`,
      note: `${Math.round(payers).toLocaleString('en')} payers (households of ${ASSUMED.cardsPerHousehold.toFixed(1)} cards), ${ASSUMED.remindersPerPayerMonth} messages a payer a month; wall per daily run`,
    },
  ];

  const gbSeconds = monthlyLambdaS * 1 + escalationLambdaS * 0.5 + statementLambdaS * 1 + (reminders * 5) / 1000;
  const requests = segments + 2 + NATIONAL.delinquent * m.tasksPerEscalation + config.statementRun.segments + reminders / 1000;
  const transitions = monthlyTransitions + escalationTransitions + phases[4]!.transitions;
  const readUnits = NATIONAL.units * m.readUnitsPerUnit * ASSUMED.scansPerMonth + NATIONAL.delinquent * m.tasksPerEscalation * 2;
  const writeUnits = NATIONAL.delinquent * m.tasksPerEscalation * 3 + NATIONAL.units * 2 + reminders * 2;
  const emails = NATIONAL.delinquent + NATIONAL.units + reminderEmails;
  const cost = {
    stepFunctions: transitions * PRICES.stateTransition,
    lambda: gbSeconds * PRICES.lambdaGbSecond + requests * PRICES.lambdaRequest,
    dynamodb: readUnits * PRICES.readUnit + writeUnits * PRICES.writeUnit,
    email: emails * PRICES.email + ((NATIONAL.units * ASSUMED.statementPdfKb) / 1e6) * PRICES.attachmentGb,
    sms: sms * PRICES.sms,
  };
  return { phases, monthlyRunMinutes: monthlyRunS / 60, cost, totalCost: Object.values(cost).reduce((a, b) => a + b, 0), sms, emails, transitions, gbSeconds };
}

/** The StartExecution refill rate at which the monthly run ends within `minutes` (the burst as configured). */
export function refillNeeded(minutes: number, bucket = DEFAULT_DEPLOYMENT.stepFunctions.startExecution.bucket): number {
  return Math.ceil((NATIONAL.delinquent - bucket) / (minutes * 60 - 5));
}
