import {
  GetCommand, PutCommand, UpdateCommand, paginateQuery, type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { PayerKind } from '../core/reminder-policy.ts';
import { GSI1, GSI2, keys, reminderShards } from './table.ts';
import { addDays } from '../core/dates.ts';
import { batchPut, ignoreConditionFailure, putIfAbsent, queryAll } from './dynamo-writes.ts';
import {
  cycleSchema, hiCardSchema, householdSchema, participantSchema, reminderClaimSchema, renewalSchema, suppressionSchema, targetSchema, znsAttemptSchema,
  type CycleRecord, type HiCard, type Household, type Participant, type ReminderClaim, type RenewalRecord, type SuppressionRecord, type TargetRecord, type ZnsAttempt,
} from './reminder-records.ts';
import type { ImportProvenance } from './store.ts';

/** Everything kept about one participant or household, read in one consistent query. */
export interface PayerRecords {
  kind: PayerKind;
  code: string;
  participant?: Participant;
  household?: Household;
  cards: HiCard[];
  cycles: CycleRecord[];
  renewals: RenewalRecord[];
}

export interface CycleRef {
  kind: PayerKind;
  code: string;
  coveredUntil: string;
}

export interface DueCycleRef extends CycleRef {
  /** The date the cycle is indexed under: its next action's day, or the day a deferred send was due. */
  nextReminderOn: string;
}

/** The persistence port of participant reminders (the same table as the arrears store). */
export interface ReminderStore {
  putParticipants(participants: readonly Participant[]): Promise<void>;
  putHouseholds(households: readonly Household[]): Promise<void>;
  putCards(cards: readonly HiCard[]): Promise<void>;
  getPayer(kind: PayerKind, code: string): Promise<PayerRecords>;
  getCycle(ref: CycleRef): Promise<CycleRecord | undefined>;
  /** Creates the cycle if new (counters kept if not), with its place in the reminder index (none: out of it). */
  upsertCycle(cycle: Omit<CycleRecord, 'remindersSent' | 'smsSent' | 'emailsSent' | 'znsSent' | 'status'>, nextReminderOn: string | undefined): Promise<void>;
  /** Moves the cycle in the reminder index, or takes it out (undefined). */
  setNextReminder(ref: CycleRef, nextReminderOn: string | undefined): Promise<void>;
  /** Every cycle whose next action is due on or before a date, with that date: however long ago it fell. */
  cyclesDueBy(date: string): Promise<DueCycleRef[]>;
  markLapsed(ref: CycleRef, lapsedOn: string): Promise<void>;
  setAgentTask(ref: CycleRef, taskId: string): Promise<void>;
  /** Renewed: out of the reminder index at once; false when it already was. */
  markRenewed(ref: CycleRef, renewedOn: string): Promise<boolean>;
  /** One more reminder of the cycle sent, by the channel that delivered it. */
  countSent(ref: CycleRef, channel: 'sms' | 'zns' | 'email'): Promise<void>;
  /** The ZNS attempt of a reminder's phone message (keyed by its tracking id), if one was made. */
  znsAttempt(trackingId: string): Promise<ZnsAttempt | undefined>;
  /**
   * Records where the ZNS attempt stands: `sending` before Zalo is called, its outcome after. False
   * when the attempt is `accepted` already (Zalo's webhook said the message was received,
   * recordZnsReceived, or the worker recorded Zalo's answer): accepted is final, never overwritten.
   */
  putZnsAttempt(attempt: ZnsAttempt): Promise<boolean>;
  /** Zalo's webhook said the message reached the person: the attempt is `accepted`. False when no attempt has that tracking id. */
  recordZnsReceived(trackingId: string, received: { msgId: string | undefined; at: string }): Promise<boolean>;
  /** The cycles that end in a month (the renewal report). */
  cyclesEndingIn(month: string): Promise<CycleRecord[]>;

  remindersOf(kind: PayerKind, code: string): Promise<ReminderClaim[]>;

  /** Records a renewal once by reference: 'duplicate' when that reference is already there. */
  /** `provenance`: the renewals file's version and line it was read from (functions/import/repeat-guard.ts). */
  putRenewal(renewal: RenewalRecord, provenance?: ImportProvenance): Promise<'recorded' | 'duplicate'>;
  /** A VSI participant now paid through a later month (never moved back); support months added. */
  extendPaidThrough(siCode: string, paidThrough: string, supportMonths: number): Promise<void>;
  /** A household's card now expires later (never moved back). */
  extendCard(householdCode: string, siCode: string, expiresOn: string): Promise<void>;

  putSuppression(s: SuppressionRecord): Promise<void>;
  isSuppressed(channel: 'sms' | 'email', addressHash: string): Promise<boolean>;

  putTargets(targets: readonly TargetRecord[]): Promise<void>;
  targetsOf(month: string): Promise<TargetRecord[]>;
}


export class DynamoReminderStore implements ReminderStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  putParticipants(participants: readonly Participant[]) {
    return batchPut(this.db, this.tableName, participants.map((p) => ({ ...keys.payer('vsi', p.siCode), ...p })));
  }

  putHouseholds(households: readonly Household[]) {
    return batchPut(this.db, this.tableName, households.map((h) => ({ ...keys.payer('hi', h.householdCode), ...h })));
  }

  putCards(cards: readonly HiCard[]) {
    return batchPut(this.db, this.tableName, cards.map((c) => ({ ...keys.hiCard(c.householdCode, c.siCode), ...c })));
  }

  async getPayer(kind: PayerKind, code: string): Promise<PayerRecords> {
    const out: PayerRecords = { kind, code, cards: [], cycles: [], renewals: [] };
    const pages = paginateQuery(
      { client: this.db },
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.payer(kind, code).pk }, ConsistentRead: true },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const sk = item.sk as string;
        if (sk === 'PROFILE' && kind === 'vsi') out.participant = participantSchema.parse(item);
        else if (sk === 'PROFILE') out.household = householdSchema.parse(item);
        else if (sk.startsWith('CARD#')) out.cards.push(hiCardSchema.parse(item));
        else if (sk.startsWith('CYCLE#')) out.cycles.push(cycleSchema.parse(item));
        else if (sk.startsWith('RENEWAL#')) out.renewals.push(renewalSchema.parse(item));
      }
    }
    return out;
  }

  async getCycle(ref: CycleRef): Promise<CycleRecord | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.cycle(ref.kind, ref.code, ref.coveredUntil), ConsistentRead: true }));
    return r.Item ? cycleSchema.parse(r.Item) : undefined;
  }

  async upsertCycle(cycle: Omit<CycleRecord, 'remindersSent' | 'smsSent' | 'emailsSent' | 'znsSent' | 'status'>, nextReminderOn: string | undefined) {
    const { nextReminderOn: _ignored, ...fields } = cycle;
    const set: Record<string, unknown> = { ...fields, ...keys.cycleDueIndex(cycle.kind, cycle.code, cycle.coveredUntil) };
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':open': 'open', ':zero': 0 };
    const sets = Object.entries(set).filter(([, v]) => v !== undefined).map(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:v${i}`] = v;
      return `#a${i} = :v${i}`;
    });
    const counters = ['remindersSent', 'smsSent', 'emailsSent', 'znsSent'].map((c) => `${c} = if_not_exists(${c}, :zero)`);
    const index = this.indexUpdate(cycle, nextReminderOn, names, values);
    await this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: keys.cycle(cycle.kind, cycle.code, cycle.coveredUntil),
      UpdateExpression: `SET ${[...sets, ...counters, '#status = if_not_exists(#status, :open)', ...index.set].join(', ')}${index.remove}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }));
  }

  async setNextReminder(ref: CycleRef, nextReminderOn: string | undefined) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const index = this.indexUpdate(ref, nextReminderOn, names, values);
    await this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: keys.cycle(ref.kind, ref.code, ref.coveredUntil),
      UpdateExpression: `${index.set.length > 0 ? `SET ${index.set.join(', ')}` : ''}${index.remove}`,
      ConditionExpression: 'attribute_exists(pk)',
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    })).catch(ignoreConditionFailure);
  }

  private indexUpdate(ref: CycleRef, date: string | undefined, names: Record<string, string>, values: Record<string, unknown>) {
    if (date === undefined) return { set: [] as string[], remove: ' REMOVE gsi2pk, gsi2sk, nextReminderOn' };
    const index = keys.reminderIndex(ref.kind, ref.code, date);
    Object.assign(values, { ':g2pk': index.gsi2pk, ':g2sk': index.gsi2sk, ':next': date });
    void names;
    return { set: ['gsi2pk = :g2pk', 'gsi2sk = :g2sk', 'nextReminderOn = :next'], remove: '' };
  }

  async cyclesDueBy(date: string): Promise<DueCycleRef[]> {
    const ref = cycleSchema.pick({ kind: true, code: true, coveredUntil: true, nextReminderOn: true }).required();
    // Index sort keys start with the date: everything before the next day is due.
    const upTo = addDays(date, 1);
    const perShard = await Promise.all(reminderShards().map(async (shard) => {
      return queryAll(this.db, {
        TableName: this.tableName, IndexName: GSI2, KeyConditionExpression: 'gsi2pk = :shard AND gsi2sk < :upTo',
        ExpressionAttributeValues: { ':shard': shard, ':upTo': upTo }, ProjectionExpression: 'kind, code, coveredUntil, nextReminderOn',
      }, (i) => ref.parse(i));
    }));
    return perShard.flat();
  }

  async markLapsed(ref: CycleRef, lapsedOn: string) {
    await this.db.send(new UpdateCommand({
      TableName: this.tableName, Key: keys.cycle(ref.kind, ref.code, ref.coveredUntil),
      UpdateExpression: 'SET lapsedOn = :on', ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(lapsedOn) AND #s = :open',
      ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':on': lapsedOn, ':open': 'open' },
    })).catch(ignoreConditionFailure);
  }

  async setAgentTask(ref: CycleRef, taskId: string) {
    await this.db.send(new UpdateCommand({
      TableName: this.tableName, Key: keys.cycle(ref.kind, ref.code, ref.coveredUntil),
      UpdateExpression: 'SET agentTaskId = :t', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':t': taskId },
    })).catch(ignoreConditionFailure);
  }

  async markRenewed(ref: CycleRef, renewedOn: string): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName, Key: keys.cycle(ref.kind, ref.code, ref.coveredUntil),
        UpdateExpression: 'SET #s = :renewed, renewedOn = :on REMOVE gsi2pk, gsi2sk, nextReminderOn',
        ConditionExpression: 'attribute_exists(pk) AND #s = :open',
        ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':renewed': 'renewed', ':open': 'open', ':on': renewedOn },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async countSent(ref: CycleRef, channel: 'sms' | 'zns' | 'email') {
    const counter = { sms: 'smsSent', zns: 'znsSent', email: 'emailsSent' }[channel];
    await this.db.send(new UpdateCommand({
      TableName: this.tableName, Key: keys.cycle(ref.kind, ref.code, ref.coveredUntil),
      UpdateExpression: `ADD remindersSent :one, ${counter} :one`, ExpressionAttributeValues: { ':one': 1 },
    }));
  }

  async znsAttempt(trackingId: string): Promise<ZnsAttempt | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.znsAttempt(trackingId), ConsistentRead: true }));
    return r.Item ? znsAttemptSchema.parse(r.Item) : undefined;
  }

  async putZnsAttempt(attempt: ZnsAttempt): Promise<boolean> {
    const item = { ...keys.znsAttempt(attempt.trackingId), ...znsAttemptSchema.parse(attempt) };
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName, Item: item,
        // `accepted` is final: neither a later guess nor the worker's own late word replaces the webhook's (its receivedAt kept).
        ConditionExpression: 'attribute_not_exists(#s) OR #s <> :accepted', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':accepted': 'accepted' },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async recordZnsReceived(trackingId: string, received: { msgId: string | undefined; at: string }): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName, Key: keys.znsAttempt(trackingId),
        UpdateExpression: `SET #s = :accepted, receivedAt = :at${received.msgId ? ', msgId = if_not_exists(msgId, :m)' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':accepted': 'accepted', ':at': received.at, ...(received.msgId ? { ':m': received.msgId } : {}) },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async cyclesEndingIn(month: string): Promise<CycleRecord[]> {
    return queryAll(this.db, {
      TableName: this.tableName, IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :m', ExpressionAttributeValues: { ':m': keys.cycleDueIndex('vsi', '', `${month}-01`).gsi1pk },
    }, (i) => cycleSchema.parse(i));
  }

  remindersOf(kind: PayerKind, code: string): Promise<ReminderClaim[]> {
    return queryAll(this.db, {
      TableName: this.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
      ExpressionAttributeValues: { ':pk': keys.payer(kind, code).pk, ':r': 'REMINDER#' }, ConsistentRead: true,
    }, (i) => reminderClaimSchema.parse(i));
  }

  async putRenewal(renewal: RenewalRecord, provenance?: ImportProvenance): Promise<'recorded' | 'duplicate'> {
    const item = {
      ...keys.renewal(renewal.kind, renewal.code, renewal.reference), ...renewalSchema.parse(renewal),
      ...(provenance ? { importSource: provenance.importSource, importLine: provenance.importLine } : {}),
    };
    return (await putIfAbsent(this.db, this.tableName, item)) ? 'recorded' : 'duplicate';
  }

  async extendPaidThrough(siCode: string, paidThrough: string, supportMonths: number) {
    await this.db.send(new UpdateCommand({
      TableName: this.tableName, Key: keys.payer('vsi', siCode),
      UpdateExpression: 'SET paidThrough = :p ADD supportMonthsUsed :m',
      ConditionExpression: 'attribute_exists(pk) AND paidThrough < :p',
      ExpressionAttributeValues: { ':p': paidThrough, ':m': supportMonths },
    })).catch(ignoreConditionFailure);
  }

  async extendCard(householdCode: string, siCode: string, expiresOn: string) {
    await this.db.send(new UpdateCommand({
      TableName: this.tableName, Key: keys.hiCard(householdCode, siCode),
      UpdateExpression: 'SET expiresOn = :e', ConditionExpression: 'attribute_exists(pk) AND expiresOn < :e',
      ExpressionAttributeValues: { ':e': expiresOn },
    })).catch(ignoreConditionFailure);
  }

  async putSuppression(s: SuppressionRecord) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.suppression(s.channel, s.addressHash), ...suppressionSchema.parse(s) } }));
  }

  async isSuppressed(channel: 'sms' | 'email', addressHash: string): Promise<boolean> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.suppression(channel, addressHash), ConsistentRead: true }));
    return r.Item !== undefined;
  }

  putTargets(targets: readonly TargetRecord[]) {
    return batchPut(this.db, this.tableName, targets.map((t) => ({ ...keys.target(t.month, t.commune, t.agentId), ...t })));
  }

  targetsOf(month: string): Promise<TargetRecord[]> {
    return queryAll(this.db, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.target(month, '', undefined).pk } }, (i) => targetSchema.parse(i));
  }
}
