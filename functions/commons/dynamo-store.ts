import { isCaseTaskType } from '../core/policy.ts';
import {
  GetCommand, PutCommand, QueryCommand, UpdateCommand, paginateQuery, paginateScan,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, ScanCommand as WireScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { leanPayment, leanPeriod, validUnitCode } from './ledger-items.ts';
import type { ZodType } from 'zod';
import { GSI1, GSI2, EMPLOYER_PREFIX, employerItemKind, importedItemKey, keys, type RunKind } from './table.ts';
import { PaymentConflictError } from './errors.ts';
import { batchPut, ignoreConditionFailure, putIfAbsent, queryAll } from './dynamo-writes.ts';
import {
  arrangementSchema, caseEventSchema, contactAttemptSchema, caseSchema, contributionPeriodSchema, employerSchema, holdSchema, noticeSchema, officerSchema, paymentSchema,
  preDisclosureSchema, publicationSchema, targetSchema, taskSchema,
  type ArrangementRecord, type CaseEvent, type ContactAttemptRecord, type CaseRecord, type NewCaseEvent, type ContributionPeriodRecord, type Employer, type HoldRecord, type NoticeKind, type NoticeRecord, type Officer,
  type PaymentRecord, type PreDisclosureRecord, type PublicationRecord, type TargetRecord, type TaskRecord,
} from './records.ts';
import type { ArrearsStore, EmployerLedger, ImportedRowKey, ImportProvenance, LedgerScan, MalformedItem, OfficerWithLoad, RunLease } from './store.ts';
import { CLAIMABLE_AGAIN, claimOutcome, staleBefore, type ClaimResult, type ClaimStatus, type WhenUnsure } from '../core/claim-rule.ts';
import { claimIdentity, claimKey, messageRefOfItem, type ClaimCompletion, type MessageKind, type MessageRef, type ProviderEvidence } from './message-claims.ts';
import { caseEvent } from '../core/case-events.ts';
import { chargedPeriods, standingOf, UNIT_STATUSES, type UnitStatus } from '../core/unit-status.ts';
import { logger } from './logger.ts';
import { DynamoReconciliationStore } from './reconciliation-store.ts';

type Item = Record<string, unknown>;


/** The DynamoDB adapter of the store; speaks to DynamoDB or to dynalite alike. */
export class DynamoArrearsStore implements ArrearsStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  // Reconciliation's data (rosters, tax data, the business register) has its own adapter on the same table.
  private recStore: DynamoReconciliationStore | undefined;
  private get rec(): DynamoReconciliationStore {
    return (this.recStore ??= new DynamoReconciliationStore(this.db, this.tableName));
  }
  putRosterMembers: DynamoReconciliationStore['putRosterMembers'] = (m) => this.rec.putRosterMembers(m);
  putTaxOrganisations: DynamoReconciliationStore['putTaxOrganisations'] = (o) => this.rec.putTaxOrganisations(o);
  putTaxEmployees: DynamoReconciliationStore['putTaxEmployees'] = (e) => this.rec.putTaxEmployees(e);
  putRegistrations: DynamoReconciliationStore['putRegistrations'] = (r) => this.rec.putRegistrations(r);
  rosterOf: DynamoReconciliationStore['rosterOf'] = (u, m) => this.rec.rosterOf(u, m);
  putTaxCheck: DynamoReconciliationStore['putTaxCheck'] = (c) => this.rec.putTaxCheck(c);
  getTaxCheck: DynamoReconciliationStore['getTaxCheck'] = (t) => this.rec.getTaxCheck(t);
  taxChecksOf: DynamoReconciliationStore['taxChecksOf'] = (s) => this.rec.taxChecksOf(s);
  taxChecksIn: DynamoReconciliationStore['taxChecksIn'] = (q) => this.rec.taxChecksIn(q);
  setTaxCheckResult: DynamoReconciliationStore['setTaxCheckResult'] = (t, r) => this.rec.setTaxCheckResult(t, r);
  putRegisteredByCheck: DynamoReconciliationStore['putRegisteredByCheck'] = (r) => this.rec.putRegisteredByCheck(r);
  registeredIn: DynamoReconciliationStore['registeredIn'] = (q) => this.rec.registeredIn(q);
  taxDataFor: DynamoReconciliationStore['taxDataFor'] = (y, m) => this.rec.taxDataFor(y, m);
  taxDataOf: DynamoReconciliationStore['taxDataOf'] = (y, t, m) => this.rec.taxDataOf(y, t, m);
  register: DynamoReconciliationStore['register'] = (m) => this.rec.register(m);

  async *scanLedgers(segment: number, totalSegments: number, onMalformed: (m: MalformedItem) => void): AsyncIterable<LedgerScan> {
    let current: LedgerScan | undefined;
    let unitCodeValid = false;
    let startKey: Record<string, AttributeValue> | undefined;
    // The low-level Scan (wire form): periods and payments, nearly every item, are read without an
    // unmarshalled copy (ledger-items.ts); the rest, and anything the fast path does not accept, as before.
    do {
      const page = await this.db.send(new WireScanCommand({
        TableName: this.tableName,
        Segment: segment,
        TotalSegments: totalSegments,
        Limit: 1000,
        ExclusiveStartKey: startKey,
        ...LEDGER_SCAN,
      }));
      for (const item of page.Items ?? []) {
        const sk = item.sk!.S!;
        const unitCode = item.pk!.S!.slice(EMPLOYER_PREFIX.length);
        if (current && current.unitCode !== unitCode) {
          yield charged(current);
          current = undefined;
        }
        if (!current) {
          current = emptyLedger(unitCode);
          // The unit code is the partition's, the same for every item of the unit: checked once.
          unitCodeValid = validUnitCode(unitCode);
        }
        const kind = employerItemKind(sk);
        if (kind === 'profile') {
          current.hasProfile = true;
          // Where the unit is, for reports by district and commune (not personal data).
          if (typeof item.district?.S === 'string') current.district = item.district.S;
          if (typeof item.commune?.S === 'string') current.commune = item.commune.S;
          // Closed or suspended, from when (core/unit-status.ts); the profile comes after the periods it bounds.
          const standing = standingOf(unitStatus(item.status?.S), item.statusDate?.S);
          if (standing) current.standing = standing;
          continue;
        }
        if (unitCodeValid && kind === 'period') {
          const p = leanPeriod(item);
          if (p) { current.periods.push(p); continue; }
        } else if (unitCodeValid && kind === 'payment') {
          const p = leanPayment(item);
          if (p) { current.payments.push(p); continue; }
        }
        addToLedger(current, unmarshall(item), onMalformed);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    if (current) yield charged(current);
  }

  async getLedger(unitCode: string, onMalformed: (m: MalformedItem) => void = () => {}): Promise<EmployerLedger> {
    const ledger = emptyLedger(unitCode);
    const pages = paginateQuery(
      { client: this.db },
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.employer(unitCode).pk }, ConsistentRead: true },
    );
    for await (const page of pages) for (const item of page.Items ?? []) addToLedger(ledger, item, onMalformed);
    return charged(ledger);
  }

  async getEmployer(unitCode: string): Promise<Employer | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.employer(unitCode) }));
    return r.Item ? employerSchema.parse(r.Item) : undefined;
  }

  putEmployers(employers: readonly Employer[]) {
    return batchPut(this.db, this.tableName, employers.map((e) => ({ ...keys.employer(e.unitCode), ...e })));
  }

  putPeriods(periods: readonly ContributionPeriodRecord[]) {
    return batchPut(this.db, this.tableName, periods.map((p) => ({ ...keys.period(p.unitCode, p.period), ...p })));
  }

  putPayments(payments: readonly PaymentRecord[]) {
    return batchPut(this.db, this.tableName, payments.map((p) => ({ ...keys.payment(p.unitCode, p.reference), ...p })));
  }

  async recordPayment(payment: PaymentRecord, provenance?: ImportProvenance): Promise<'recorded' | 'duplicate'> {
    const item = { ...keys.payment(payment.unitCode, payment.reference), ...paymentSchema.parse(payment), ...importMark(provenance) };
    if (await putIfAbsent(this.db, this.tableName, item)) return 'recorded';
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.payment(payment.unitCode, payment.reference), ConsistentRead: true }));
    const existing = paymentSchema.parse(r.Item);
    if (existing.paidOn === payment.paidOn && existing.amount === payment.amount) return 'duplicate';
    throw new PaymentConflictError(payment.unitCode, payment.reference);
  }

  async putOfficers(officers: readonly (Officer & Partial<ImportProvenance>)[]) {
    for (const o of officers) {
      const { officerId, ...rest } = o;
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':id': officerId };
      const fields = Object.entries({ ...rest, ...keys.officerIndex(o.district, o.role, officerId) }).filter(([, v]) => v !== undefined);
      const sets = fields.map(([k, v], i) => {
        names[`#a${i}`] = k;
        values[`:v${i}`] = v;
        return `#a${i} = :v${i}`;
      });
      await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: keys.officer(officerId),
        // An officer's load is derived from their open tasks; a count kept by earlier versions goes.
        UpdateExpression: `SET officerId = :id, ${sets.join(', ')} REMOVE openTasks`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }));
    }
  }

  putTargets(targets: readonly (TargetRecord & Partial<ImportProvenance>)[]) {
    return batchPut(this.db, this.tableName, targets.map((t) => ({
      ...keys.planTarget(t.year, t.scope, t.key), ...targetSchema.parse(t), importSource: t.importSource, importLine: t.importLine,
    })));
  }

  async importedFrom(row: ImportedRowKey): Promise<ImportProvenance | undefined> {
    const key = importedItemKey(row);
    const r = await this.db.send(new GetCommand({
      TableName: this.tableName, Key: key, ConsistentRead: true,
      ProjectionExpression: 'importSource, importLine, #amount, amountDue, paidOn, dueDate, reversedOn', ExpressionAttributeNames: { '#amount': 'amount' },
    }));
    const item = r.Item ?? {};
    const amount: unknown = item.amount ?? item.amountDue;
    const date: unknown = item.paidOn ?? item.dueDate;
    const reversed = typeof item.reversedOn === 'string' ? { reversed: true } : {};
    const figures = typeof amount === 'number' && typeof date === 'string' ? { figures: { amount, date, ...reversed } } : {};
    // An item written by hand or by the simulation has figures and no provenance: a correction still finds it.
    if (typeof item.importSource === 'string' && typeof item.importLine === 'number') return { importSource: item.importSource, importLine: item.importLine, ...figures };
    return r.Item ? { importSource: '', importLine: 0, ...figures } : undefined;
  }

  targetsFor(year: number): Promise<TargetRecord[]> {
    return queryAll(this.db, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.planTarget(year, '', '').pk } }, (i) => targetSchema.parse(i));
  }

  async putCase(record: CaseRecord) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.case(record.unitCode), ...caseSchema.parse(record) } }));
  }

  async putHold(hold: HoldRecord) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.hold(hold.unitCode), ...holdSchema.parse(hold) } }));
  }

  /**
   * Marks the hold cleared (an update, not a delete): the staff API, which lifts holds, then needs
   * no DeleteItem at all, which IAM could not have narrowed to the HOLD items (LeadingKeys bounds
   * the partition only). A cleared hold is not read as a hold; setting one again replaces it.
   */
  async clearHold(unitCode: string, at = new Date().toISOString()): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName, Key: keys.hold(unitCode),
        UpdateExpression: 'SET clearedAt = :at', ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(clearedAt)',
        ExpressionAttributeValues: { ':at': at },
      }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async putArrangement(arrangement: ArrangementRecord) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.arrangement(arrangement.unitCode), ...arrangementSchema.parse(arrangement) } }));
  }

  async appendEvent(event: NewCaseEvent) {
    const stored = caseEvent(event);
    await putIfAbsent(this.db, this.tableName, { ...keys.event(stored.unitCode, stored.cycle, stored.dedupeKey), ...stored });
  }

  putContactAttempt(attempt: ContactAttemptRecord): Promise<boolean> {
    const item = contactAttemptSchema.parse(attempt);
    return putIfAbsent(this.db, this.tableName, { ...keys.contact(item.unitCode, item.on, item.attemptId), ...item });
  }

  async contactAttempts(unitCode: string, onMalformed: (m: MalformedItem) => void = (m) => logger.warn('Malformed contact attempt', { ...m })): Promise<ContactAttemptRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :contact)',
      ExpressionAttributeValues: { ':pk': keys.employer(unitCode).pk, ':contact': 'CONTACT#' },
    }, (item) => item);
    return items.flatMap((item) => {
      const r = contactAttemptSchema.safeParse(item);
      if (r.success) return [r.data];
      onMalformed({ key: `${item.pk as string} ${item.sk as string}`, reason: issuesOf(r.error) });
      return [];
    });
  }

  async caseHistory(unitCode: string, onMalformed: (m: MalformedItem) => void = reportMalformedEvent): Promise<CaseEvent[]> {
    const out: CaseEvent[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
        ExpressionAttributeValues: { ':pk': keys.employer(unitCode).pk, ':ev': 'EVENT#' },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const r = caseEventSchema.safeParse(item);
        if (r.success) out.push(r.data);
        else onMalformed({ key: `${item.pk as string} ${item.sk as string}`, reason: issuesOf(r.error) });
      }
    }
    return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }



  async claim(ref: MessageRef, now: Date, staleAfterMinutes: number, whenUnsure: WhenUnsure = 'resend'): Promise<ClaimResult> {
    const key = claimKey(ref);
    const again = CLAIMABLE_AGAIN.map((_, i) => `:again${i}`);
    const claimedAt = now.toISOString();
    const stale = staleBefore(now, staleAfterMinutes);
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...key, ...claimIdentity(ref), status: 'claimed', claimedAt, ...pendingIndex(ref, claimedAt, key) },
        // core/claim-rule.ts: a new claim, one that may be claimed again, or (at least once) one left stale by a crash.
        ConditionExpression: `attribute_not_exists(pk) OR #s IN (${again.join(', ')})${whenUnsure === 'resend' ? ' OR (#s = :claimed AND claimedAt < :stale)' : ''}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ...(whenUnsure === 'resend' ? { ':claimed': 'claimed', ':stale': stale } : {}),
          ...Object.fromEntries(CLAIMABLE_AGAIN.map((status, i) => [again[i], status])),
        },
      }));
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      const existing = r.Item as { status: ClaimStatus; claimedAt: string } | undefined;
      const outcome = claimOutcome(existing, now, staleAfterMinutes, whenUnsure);
      // Changed under us since the write was refused: leave it to the next attempt.
      if (outcome === 'claimed') return 'in-progress';
      if (outcome === 'abandoned' && existing?.status === 'claimed') await this.abandon(key, existing.claimedAt);
      return outcome;
    }
  }

  /** At most once: a stale claim with no evidence of acceptance is given up, on the record. */
  private async abandon(key: { pk: string; sk: string }, claimedAt: string) {
    await this.db.send(new UpdateCommand({
      TableName: this.tableName, Key: key,
      UpdateExpression: 'SET #s = :abandoned REMOVE gsi2pk, gsi2sk',
      ConditionExpression: '#s = :claimed AND claimedAt = :at',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':abandoned': 'abandoned', ':claimed': 'claimed', ':at': claimedAt },
    })).catch(ignoreConditionFailure);
  }

  async complete(ref: MessageRef, update: ClaimCompletion) {
    const entries = Object.entries(update).filter(([, v]) => v !== undefined);
    // Settled: out of the redrive's index. Failed (retryable): it stays there to be sent again.
    const settled = update.status !== 'failed';
    await this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: claimKey(ref),
      UpdateExpression: `SET ${entries.map((_, i) => `#a${i} = :v${i}`).join(', ')}${settled ? ' REMOVE gsi2pk, gsi2sk' : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#a${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
    }));
  }

  /**
   * The provider's evidence on a claim (from its send, delivery, bounce and reject events): a claim
   * still `claimed` that the provider accepted becomes `sent`, so a crashed worker's message is not
   * sent again; delivery and bounces are recorded beside it. False when there is no such claim.
   */
  async recordEvidence(ref: MessageRef, evidence: ProviderEvidence): Promise<boolean> {
    const key = claimKey(ref);
    const at = evidence.at;
    try {
      if (evidence.event === 'send') {
        await this.db.send(new UpdateCommand({
          TableName: this.tableName, Key: key,
          UpdateExpression: 'SET acceptedAt = :at, providerMessageId = :id, #s = if_not_exists(#s, :sent) REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':at': at, ':id': evidence.messageId, ':sent': 'sent' },
        }));
        // The worker may have died before recording its send: the provider's word settles the claim.
        await this.db.send(new UpdateCommand({
          TableName: this.tableName, Key: key,
          UpdateExpression: 'SET #s = :sent, sentAt = :at, messageId = :id',
          ConditionExpression: '#s IN (:claimed, :failed)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':claimed': 'claimed', ':failed': 'failed', ':at': at, ':id': evidence.messageId },
        })).catch(ignoreConditionFailure);
        return true;
      }
      const field = evidence.event === 'delivery' ? 'deliveredAt' : evidence.event === 'bounce' ? 'bouncedAt' : 'rejectedAt';
      await this.db.send(new UpdateCommand({
        TableName: this.tableName, Key: key,
        UpdateExpression: `SET ${field} = :at${evidence.detail ? ', providerDetail = :d' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at, ...(evidence.detail ? { ':d': evidence.detail } : {}) },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Claims of a kind not settled since before an instant: crashed claims and retryable failures, oldest first. */
  async pendingClaims(message: MessageKind, before: string): Promise<{ ref: MessageRef; status: ClaimStatus; claimedAt: string }[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName, IndexName: GSI2,
      KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :before',
      ExpressionAttributeValues: { ':p': keys.pendingClaim(message, '', { pk: '', sk: '' }).gsi2pk, ':before': before },
    }, (item) => item);
    return items.flatMap((item) => {
      const ref = messageRefOfItem(item);
      return ref ? [{ ref, status: item.status as ClaimStatus, claimedAt: String(item.claimedAt) }] : [];
    });
  }

  async employeeNoticeStatuses(unitCode: string, cycle: string): Promise<ClaimStatus[]> {
    const prefix = keys.employeeNotice(unitCode, cycle, '');
    return queryAll(this.db, {
      TableName: this.tableName, ConsistentRead: true, ProjectionExpression: '#s',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.sk },
    }, (item) => item.status as ClaimStatus);
  }

  async getNotice(unitCode: string, cycle: string, kind: NoticeKind = 'urging'): Promise<NoticeRecord | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.notice(unitCode, cycle, kind), ConsistentRead: true }));
    return r.Item ? noticeSchema.parse(r.Item) : undefined;
  }

  async noticesOf(unitCode: string, kind: NoticeKind = 'urging'): Promise<NoticeRecord[]> {
    const out: NoticeRecord[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notice)',
        ExpressionAttributeValues: { ':pk': keys.employer(unitCode).pk, ':notice': 'NOTICE#' },
        ConsistentRead: true,
      },
    );
    // Sort keys are NOTICE#<cycle>#<kind>: the query returns them oldest cycle first.
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const notice = noticeSchema.parse(item);
        if (notice.kind === kind) out.push(notice);
      }
    }
    return out;
  }

  async officersInDistrict(district: string): Promise<OfficerWithLoad[]> {
    const officers = await queryAll(this.db, {
      TableName: this.tableName, IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :d', ExpressionAttributeValues: { ':d': keys.officerIndex(district, '', '').gsi1pk },
    }, (i) => officerSchema.parse(i));
    return Promise.all(officers.map(async (o) => ({ ...o, openTasks: await this.openTaskCount(o.officerId) })));
  }

  async getOfficer(officerId: string): Promise<Officer | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.officer(officerId) }));
    return r.Item ? officerSchema.parse(r.Item) : undefined;
  }

  async createTask(task: TaskRecord): Promise<TaskRecord> {
    const record = taskSchema.parse(task);
    const item = {
      ...keys.task(task.taskId), ...keys.taskIndex(task.officerId, task.status, task.dueDate, task.taskId),
      // A case's tasks are found by unit and cycle (a payment closes those still waiting); the plain
      // tasks (a participant's renewal visit, a tax-data check) are not a case's.
      ...(isCaseTaskType(record.type) ? keys.caseTaskIndex(task.unitCode, task.cycle, task.taskId) : {}),
      ...record,
    };
    if (await putIfAbsent(this.db, this.tableName, item)) return record;
    // The step was retried: the task exists. A waiting task takes the new callback token.
    const r = await this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: keys.task(task.taskId),
      UpdateExpression: 'SET #token = :token',
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#token': 'token', '#status': 'status' },
      ExpressionAttributeValues: { ':token': task.token, ':open': 'open' },
      ReturnValues: 'ALL_NEW',
    })).catch((error: unknown) => {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    });
    return taskSchema.parse(r?.Attributes ?? (await this.getTask(task.taskId)));
  }

  async getTask(taskId: string): Promise<TaskRecord | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.task(taskId), ConsistentRead: true }));
    return r.Item ? taskSchema.parse(r.Item) : undefined;
  }

  async closeTask(taskId: string, close: { status: 'done' | 'timed-out' | 'cancelled'; outcome?: TaskRecord['outcome']; note?: string; closedAt: string; closedBy: string }) {
    const task = await this.getTask(taskId);
    if (!task || task.status !== 'open') return undefined;
    const fields = Object.entries({ ...close, gsi1sk: keys.taskIndex(task.officerId, close.status, task.dueDate, taskId).gsi1sk }).filter(([, v]) => v !== undefined);
    try {
      const r = await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: keys.task(taskId),
        UpdateExpression: `SET ${fields.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(fields.map(([k], i) => [`#a${i}`, k])) },
        ExpressionAttributeValues: { ':open': 'open', ...Object.fromEntries(fields.map(([, v], i) => [`:v${i}`, v])) },
        ReturnValues: 'ALL_NEW',
      }));
      return taskSchema.parse(r.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  openTasksOf(officerId: string): Promise<TaskRecord[]> {
    return queryAll(this.db, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :o AND begins_with(gsi1sk, :open)',
      ExpressionAttributeValues: { ':o': keys.taskIndex(officerId, 'open', '', '').gsi1pk, ':open': 'open#' },
    }, (i) => taskSchema.parse(i));
  }

  async closedTasksOf(officerId: string, limit: number): Promise<TaskRecord[]> {
    // One query per closed status on the officer's index (its sort key starts with the status),
    // the latest due dates first; a page of `limit` each, never the officer's whole past.
    const pk = keys.taskIndex(officerId, 'open', '', '').gsi1pk;
    const pages = await Promise.all((['done', 'timed-out', 'cancelled'] as const).map(async (status) => {
      const r = await this.db.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :o AND begins_with(gsi1sk, :status)',
        ExpressionAttributeValues: { ':o': pk, ':status': `${status}#` },
        ScanIndexForward: false,
        Limit: limit,
      }));
      return (r.Items ?? []).map((i) => taskSchema.parse(i));
    }));
    return pages.flat();
  }

  /** An officer's load: a COUNT over their open tasks on the index, so it cannot drift from them. */
  async openTaskCount(officerId: string): Promise<number> {
    let count = 0;
    const pages = paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :o AND begins_with(gsi1sk, :open)',
      ExpressionAttributeValues: { ':o': keys.taskIndex(officerId, 'open', '', '').gsi1pk, ':open': 'open#' },
      Select: 'COUNT',
    });
    for await (const page of pages) count += page.Count ?? 0;
    return count;
  }

  tasksOfCase(unitCode: string, cycle?: string): Promise<TaskRecord[]> {
    const index = keys.caseTaskIndex(unitCode, cycle ?? '', '');
    return queryAll(this.db, {
      TableName: this.tableName,
      IndexName: GSI2,
      ...(cycle === undefined
        ? { KeyConditionExpression: 'gsi2pk = :unit', ExpressionAttributeValues: { ':unit': index.gsi2pk } }
        : { KeyConditionExpression: 'gsi2pk = :unit AND begins_with(gsi2sk, :cycle)', ExpressionAttributeValues: { ':unit': index.gsi2pk, ':cycle': index.gsi2sk } }),
    }, (i) => taskSchema.parse(i));
  }

  async reassignTask(taskId: string, toOfficerId: string): Promise<TaskRecord | undefined> {
    const task = await this.getTask(taskId);
    if (!task || task.status !== 'open') return undefined;
    if (task.officerId === toOfficerId) return task;
    const index = keys.taskIndex(toOfficerId, 'open', task.dueDate, taskId);
    const updated = await this.updateOpenTask(taskId, {
      officerId: toOfficerId, reassignedFrom: task.officerId, gsi1pk: index.gsi1pk, gsi1sk: index.gsi1sk,
    }, { officerId: task.officerId }, { reassignments: 1 });
    return updated;
  }

  acknowledgeTask(taskId: string, at: string): Promise<TaskRecord | undefined> {
    return this.updateOpenTask(taskId, { acknowledgedAt: at });
  }

  /**
   * Sets fields on a task that is still open (and, if given, still has these values), and adds to
   * its counters in the same write.
   */
  private async updateOpenTask(
    taskId: string, fields: Record<string, unknown>, expected: Record<string, unknown> = {}, counters: Record<string, number> = {},
  ): Promise<TaskRecord | undefined> {
    const sets = Object.entries(fields);
    const checks = Object.entries(expected);
    const adds = Object.entries(counters);
    try {
      const r = await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: keys.task(taskId),
        UpdateExpression: `SET ${sets.map((_, i) => `#a${i} = :v${i}`).join(', ')}${adds.length ? ` ADD ${adds.map((_, i) => `#n${i} :n${i}`).join(', ')}` : ''}`,
        ConditionExpression: ['#status = :open', ...checks.map((_, i) => `#c${i} = :c${i}`)].join(' AND '),
        ExpressionAttributeNames: {
          '#status': 'status', ...Object.fromEntries(sets.map(([k], i) => [`#a${i}`, k])), ...Object.fromEntries(checks.map(([k], i) => [`#c${i}`, k])),
          ...Object.fromEntries(adds.map(([k], i) => [`#n${i}`, k])),
        },
        ExpressionAttributeValues: {
          ':open': 'open', ...Object.fromEntries(sets.map(([, v], i) => [`:v${i}`, v])), ...Object.fromEntries(checks.map(([, v], i) => [`:c${i}`, v])),
          ...Object.fromEntries(adds.map(([, v], i) => [`:n${i}`, v])),
        },
        ReturnValues: 'ALL_NEW',
      }));
      return taskSchema.parse(r.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }



  async lapsePreDisclosure(unitCode: string, lapsedOn: string): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: keys.preDisclosure(unitCode),
        UpdateExpression: 'SET #s = :lapsed, lapsedOn = :on',
        ConditionExpression: '#s = :sent',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':lapsed': 'lapsed', ':sent': 'sent', ':on': lapsedOn },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getPreDisclosure(unitCode: string): Promise<PreDisclosureRecord | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.preDisclosure(unitCode), ConsistentRead: true }));
    return r.Item ? preDisclosureSchema.parse(r.Item) : undefined;
  }

  putPublication(publication: PublicationRecord): Promise<boolean> {
    return putIfAbsent(this.db, this.tableName, { ...keys.publication(publication.date), ...publicationSchema.parse(publication) });
  }

  async getPublication(date: string): Promise<PublicationRecord | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.publication(date), ConsistentRead: true }));
    return r.Item ? publicationSchema.parse(r.Item) : undefined;
  }

  async putRunSummary(cycle: string, summary: Record<string, unknown>, kind: RunKind = 'SUMMARY') {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.runSummary(cycle, kind), ...summary } }));
  }

  async getRunRecord(scope: string, kind: RunKind): Promise<Record<string, unknown> | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.runSummary(scope, kind), ConsistentRead: true }));
    return r.Item;
  }

  // The lease is one item, always put whole under a condition (no TTL: dynalite has none, and TTL
  // deletes late), so expiry is decided in the condition by comparing ISO instants.
  takeLease(lease: RunLease): Promise<boolean> {
    return this.putLease(lease, {}, 'attribute_not_exists(pk) OR expiresAt <= :now OR #owner = :owner');
  }

  renewLease(lease: RunLease): Promise<boolean> {
    return this.putLease(lease, {}, '#owner = :owner AND expiresAt > :now');
  }

  releaseLease(lease: Omit<RunLease, 'expiresAt'>): Promise<boolean> {
    return this.putLease({ ...lease, expiresAt: lease.now }, { releasedAt: lease.now.toISOString() }, '#owner = :owner');
  }

  private async putLease(lease: RunLease, extra: Item, condition: string): Promise<boolean> {
    const now = lease.now.toISOString();
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.runLock(lease.scope, lease.kind), owner: lease.owner, expiresAt: lease.expiresAt.toISOString(), updatedAt: now, ...extra },
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': lease.owner, ...(condition.includes(':now') ? { ':now': now } : {}) },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** An import's provenance as item attributes (none for a write by staff). */
const importMark = (p: ImportProvenance | undefined) => (p ? { importSource: p.importSource, importLine: p.importLine } : {});

/** The attributes the monthly run reads: ledger and case fields, never the profile's. */
const SCAN_ATTRIBUTES = [
  'pk', 'sk', 'period', 'amountDue', 'dueDate', 'reference', 'paidOn', 'amount', 'reversedOn',
  'status', 'stage', 'anchorPeriod', 'monthsOverdue', 'debt', 'officerId', 'inspectorId', 'cycle', 'openedOn', 'updatedAt', 'closedOn', 'closeReason',
  'reason', 'until', 'clearedAt', 'kind', 'agreedOn', 'instalments', 'sentOn', 'payBy', 'lapsedOn', 'district', 'commune', 'statusDate',
];
/** What the ledger scan asks for (the benchmark's floor reads the same): only the ledger and the case; history, notices and the profile's personal data stay on the server. */
export const LEDGER_SCAN = {
  FilterExpression: 'begins_with(pk, :emp) AND (sk IN (:profile, :case, :hold, :arrangement, :disclosure) OR begins_with(sk, :period) OR begins_with(sk, :payment))',
  ProjectionExpression: SCAN_ATTRIBUTES.map((_, i) => `#p${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(SCAN_ATTRIBUTES.map((a, i) => [`#p${i}`, a])),
  ExpressionAttributeValues: Object.fromEntries(Object.entries({
    ':emp': EMPLOYER_PREFIX, ':profile': 'PROFILE', ':case': 'CASE', ':hold': 'HOLD', ':arrangement': 'ARRANGEMENT', ':disclosure': 'DISCLOSURE',
    ':period': 'PERIOD#', ':payment': 'PAYMENT#',
  }).map(([k, v]) => [k, { S: v }])) as Record<string, AttributeValue>,
};

const holdInScan = holdSchema.pick({ unitCode: true, reason: true, until: true });
const arrangementInScan = arrangementSchema.pick({ unitCode: true, kind: true, agreedOn: true, instalments: true });
const preDisclosureInScan = preDisclosureSchema.pick({ unitCode: true, status: true, sentOn: true, payBy: true, lapsedOn: true });

/** Without a reader's own handler, a malformed event is logged (its key and reason, never its content). */
function reportMalformedEvent(m: MalformedItem) {
  logger.warn('Malformed case event', { ...m });
}

const issuesOf = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) =>
  error.issues.map((i) => `${i.path.map(String).join('.') || 'item'} ${i.message}`).join('; ');

function emptyLedger(unitCode: string): EmployerLedger {
  return { unitCode, hasProfile: false, periods: [], payments: [] };
}

/** The ledger charges no period after a closed unit's closing month (core/unit-status.ts): applied once the unit's items are all read. */
function charged<L extends LedgerScan>(ledger: L): L {
  if (ledger.standing) ledger.periods = chargedPeriods(ledger.periods, ledger.standing);
  return ledger;
}

const unitStatus = (v: string | undefined): UnitStatus | undefined => (UNIT_STATUSES as readonly string[]).includes(v ?? '') ? (v as UnitStatus) : undefined;

function addToLedger(ledger: EmployerLedger, stored: Item, onMalformed: (m: MalformedItem) => void) {
  const key = `${stored.pk as string} ${stored.sk as string}`;
  const kind = employerItemKind(stored.sk as string);
  // The unit code is the partition's; a projected read does not carry it twice.
  const item = { ...stored, unitCode: ledger.unitCode };
  const parse = <T>(schema: ZodType<T>): T | undefined => {
    const r = schema.safeParse(item);
    if (r.success) return r.data;
    onMalformed({ key, reason: r.error.issues.map((i) => `${i.path.join('.') || 'item'} ${i.message}`).join('; ') });
    return undefined;
  };
  if (kind === 'period') {
    const p = parse(contributionPeriodSchema);
    if (p) ledger.periods.push({ period: p.period, amountDue: p.amountDue, dueDate: p.dueDate });
  } else if (kind === 'payment') {
    const p = parse(paymentSchema);
    // A payment the bank reversed stays on record but is no payment (core/correction.ts).
    if (p?.reversedOn !== undefined) (ledger.reversedPayments ??= []).push({ reference: p.reference, paidOn: p.paidOn, amount: p.amount, reversedOn: p.reversedOn });
    else if (p) ledger.payments.push({ reference: p.reference, paidOn: p.paidOn, amount: p.amount });
  } else if (kind === 'profile') {
    const e = parse(employerSchema);
    if (e) {
      ledger.employer = e;
      ledger.hasProfile = true;
      const standing = standingOf(e.status, e.statusDate);
      if (standing) ledger.standing = standing;
    }
  } else if (kind === 'case') {
    const c = parse(caseSchema);
    if (c) ledger.case = c;
  } else if (kind === 'hold') {
    // Lifted early (clearHold): no longer a hold.
    if (stored.clearedAt !== undefined) return;
    const h = parse(holdInScan);
    if (h) ledger.hold = { reason: h.reason, until: h.until };
  } else if (kind === 'arrangement') {
    const a = parse(arrangementInScan);
    if (a) ledger.arrangement = { kind: a.kind, agreedOn: a.agreedOn, instalments: a.instalments };
  } else if (kind === 'disclosure') {
    const d = parse(preDisclosureInScan);
    if (d) ledger.preDisclosure = { status: d.status, sentOn: d.sentOn, payBy: d.payBy, lapsedOn: d.lapsedOn };
  }
}

/** Every message but a reminder waits in the redrive's index until settled; reminders have their own index and hourly reruns. */
function pendingIndex(ref: MessageRef, since: string, key: { pk: string; sk: string }) {
  return ref.message === 'reminder' ? {} : keys.pendingClaim(ref.message, since, key);
}
