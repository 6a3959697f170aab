import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { ledgerStatus } from '../core/ledger.ts';
import {
  classifyArrears, previousQuarter, quarterEnd, quarterlyListKey, renderQuarterlyCsv,
  type ArrearsClassification, type Quarter, type QuarterlyEntry,
} from '../core/quarterly-list.ts';
import { InvalidInputError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import { forEachLedger, scanPart } from './scan-ledgers.ts';
import { type Ports } from '../commons/deps.ts';
import { CSV_CONTENT_TYPE } from '../commons/documents.ts';
import type { MalformedItem } from '../commons/store.ts';
import { operations } from '../commons/operations.ts';
import { withRunLease, type RunLeaseOptions } from '../commons/run-lease.ts';

export interface QuarterlyListInput {
  /** The quarter reported (YYYY-Qn); by default the one before today's. */
  quarter?: Quarter | undefined;
}

export interface QuarterlyListSummary {
  quarter: Quarter;
  asOf: string;
  policyVersion: string;
  unitsScanned: number;
  late: number;
  evading: number;
  latePrincipal: number;
  evadedPrincipal: number;
  debt: number;
  malformed: number;
  key: string;
  location: string;
  contentSha256: string;
  madeAt: string;
}

/** Profile reads in flight: the listed units only, bounded. */
const PROFILE_READS = 16;

/**
 * The quarterly list of late and evading employers for the state management and inspection
 * bodies: every ledger as of the quarter's last day, one parallel scan; the units on the list get
 * their profile read (name, tax code, district); the CSV goes under quarterly/<quarter>/. The
 * as-of date is the quarter's end, so a rerun writes the same object with the same bytes.
 */
export async function runQuarterlyList(deps: Ports<'ledgers' | 'runs' | 'documents' | 'clock' | 'policyFor'>, input: QuarterlyListInput, lease: RunLeaseOptions = {}): Promise<QuarterlyListSummary> {
  const today = deps.clock.today();
  const quarter = input.quarter ?? previousQuarter(today);
  const asOf = quarterEnd(quarter);
  if (asOf >= today) throw new InvalidInputError([{ field: 'quarter', reason: 'must have ended before today' }]);
  return withRunLease(deps, { name: 'quarterly list', scope: quarter, kind: 'QUARTERLY-LIST' }, lease, () => quarterlyList(deps, quarter, asOf));
}

async function quarterlyList(deps: Ports<'ledgers' | 'runs' | 'documents' | 'clock' | 'policyFor'>, quarter: Quarter, asOf: string): Promise<QuarterlyListSummary> {
  const documents = deps.documents;
  const policy = deps.policyFor(asOf);

  let unitsScanned = 0;
  let malformed = 0;
  const onMalformed = (m: MalformedItem) => {
    malformed++;
    logger.warn('Malformed item skipped', { ...m });
  };
  const listed: { unitCode: string; classification: ArrearsClassification & { class: 'late' | 'evading' } }[] = [];
  await forEachLedger(deps, scanPart(), onMalformed, (ledger) => {
    if (!ledger.hasProfile) {
      onMalformed({ key: `EMP#${ledger.unitCode} PROFILE`, reason: 'employer profile missing; not listed' });
      return;
    }
    unitsScanned++;
    const classification = classifyArrears(ledgerStatus(ledger.periods, ledger.payments, asOf, policy), policy, ledger.hold);
    if (classification.class !== 'neither') listed.push({ unitCode: ledger.unitCode, classification: { ...classification, class: classification.class } });
  });

  const limit = pLimit(PROFILE_READS);
  const entries = (await Promise.all(listed.map((l) => limit(async (): Promise<QuarterlyEntry | undefined> => {
    const employer = await deps.ledgers.getEmployer(l.unitCode);
    if (!employer) return undefined;
    return { unitCode: l.unitCode, name: employer.name, taxCode: employer.taxCode, district: employer.district, ...l.classification };
  })))).filter((e): e is QuarterlyEntry => e !== undefined);

  const csv = renderQuarterlyCsv(entries, policy);
  const key = quarterlyListKey(quarter);
  await documents.put(key, csv, CSV_CONTENT_TYPE);
  const sum = (f: (e: QuarterlyEntry) => number) => entries.reduce((s, e) => s + f(e), 0);
  const summary: QuarterlyListSummary = {
    quarter, asOf, policyVersion: policy.version, unitsScanned,
    late: entries.filter((e) => e.class === 'late').length,
    evading: entries.filter((e) => e.class === 'evading').length,
    latePrincipal: sum((e) => e.latePrincipal), evadedPrincipal: sum((e) => e.evadedPrincipal), debt: sum((e) => e.debt),
    malformed, key, location: documents.locate(key),
    contentSha256: createHash('sha256').update(csv).digest('hex'),
    madeAt: deps.clock.now().toISOString(),
  };
  await deps.runs.putRunSummary(quarter, { ...summary }, 'QUARTERLY-LIST');
  // Counts only: the list names units, the log does not.
  logger.info('Quarterly list made', { quarter, late: summary.late, evading: summary.evading, key });
  return summary;
}
