import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut, putIfAbsent, queryAll } from './dynamo-writes.ts';
import {
  businessRegistrationSchema, registeredByCheckSchema, rosterMemberSchema, taxCheckResultSchema, taxCheckSchema, taxEmployeeSchema, taxOrganisationSchema,
  type BusinessRegistrationRecord, type RegisteredByCheckRecord, type RosterMemberRecord, type TaxCheckRecord, type TaxEmployeeRecord, type TaxOrganisationRecord,
} from './reconciliation-records.ts';
import type { ImportProvenance, MalformedItem } from './store.ts';
import { GSI1, GSI2, keys } from './table.ts';

/**
 * The data reconciliation with tax data reads (keys: table.ts): rosters per unit, a year's tax
 * data, the business register. A put of the same key again replaces the row (an import run twice
 * changes nothing). A stored item that fails its schema is reported with its key (never a personal
 * ID: see table.ts) and left out.
 */
export interface ReconciliationStore {
  putRosterMembers(members: readonly RosterMemberRecord[]): Promise<void>;
  putTaxOrganisations(organisations: readonly TaxOrganisationRecord[]): Promise<void>;
  putTaxEmployees(employees: readonly TaxEmployeeRecord[]): Promise<void>;
  putRegistrations(registrations: readonly BusinessRegistrationRecord[]): Promise<void>;
  rosterOf(unitCode: string, onMalformed: (m: MalformedItem) => void): Promise<RosterMemberRecord[]>;
  taxDataFor(year: number, onMalformed: (m: MalformedItem) => void): Promise<{ organisations: TaxOrganisationRecord[]; employees: TaxEmployeeRecord[] }>;
  /** One payer's tax data of a year (its organisation row, branches apart, and its employees'): a check's page reads this, not the year's. */
  taxDataOf(year: number, taxCode: string, onMalformed: (m: MalformedItem) => void): Promise<{ organisation: TaxOrganisationRecord | undefined; employees: TaxEmployeeRecord[] }>;
  register(onMalformed: (m: MalformedItem) => void): Promise<BusinessRegistrationRecord[]>;
  /** Keeps a check's finding once (beside its task): false when it was there already (a rerun). */
  putTaxCheck(check: TaxCheckRecord): Promise<boolean>;
  getTaxCheck(taskId: string): Promise<TaxCheckRecord | undefined>;
  /** A unit's (or unregistered organisation's) checks, every quarter, oldest first. */
  taxChecksOf(subjectCode: string): Promise<TaxCheckRecord[]>;
  /** Every check a quarter's run opened, with what it found (the collection report's section). */
  taxChecksIn(quarter: string): Promise<TaxCheckRecord[]>;
  /** What the check found (the same again replaces it: a retried outcome changes nothing). */
  setTaxCheckResult(taskId: string, result: NonNullable<TaxCheckRecord['result']>): Promise<void>;
  /** Counts the employees a check registered in the unit's roster collection (once per check). */
  putRegisteredByCheck(record: RegisteredByCheckRecord): Promise<void>;
  /** Every count of a quarter (employees registered after a check), by unit and task. */
  registeredIn(quarter: string): Promise<RegisteredByCheckRecord[]>;
}

type Item = Record<string, unknown>;

/** An item's fields without its keys (the strict schemas refuse what they do not declare). */
function strip(item: Item): Item {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, ...fields } = item;
  return fields;
}

/** Where an imported row came from (file version and line), kept on its item: the import settles a repeated key by it. */
const provenance = (r: Partial<ImportProvenance>) => ({ importSource: r.importSource, importLine: r.importLine });

export class DynamoReconciliationStore implements ReconciliationStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  putRosterMembers(members: readonly (RosterMemberRecord & Partial<ImportProvenance>)[]) {
    return batchPut(this.db, this.tableName, members.map((m) => ({ ...keys.rosterMember(m.unitCode, m.siCode, m.startMonth), ...rosterMemberSchema.parse(m), ...provenance(m) })));
  }

  putTaxOrganisations(organisations: readonly (TaxOrganisationRecord & Partial<ImportProvenance>)[]) {
    return batchPut(this.db, this.tableName, organisations.map((o) => ({ ...keys.taxOrganisation(o.year, o.taxCode), ...taxOrganisationSchema.parse(o), ...provenance(o) })));
  }

  putTaxEmployees(employees: readonly (TaxEmployeeRecord & Partial<ImportProvenance>)[]) {
    return batchPut(this.db, this.tableName, employees.map((e) => ({ ...keys.taxEmployee(e.year, e.payerTaxCode, e.personalId), ...taxEmployeeSchema.parse(e), ...provenance(e) })));
  }

  putRegistrations(registrations: readonly (BusinessRegistrationRecord & Partial<ImportProvenance>)[]) {
    return batchPut(this.db, this.tableName, registrations.map((r) => ({ ...keys.registration(r.taxCode), ...businessRegistrationSchema.parse(r), ...provenance(r) })));
  }

  async rosterOf(unitCode: string, onMalformed: (m: MalformedItem) => void) {
    const { pk } = keys.rosterMember(unitCode, '', '');
    return this.query(pk, 'MEMBER#', rosterMemberSchema, onMalformed);
  }

  async taxDataFor(year: number, onMalformed: (m: MalformedItem) => void) {
    const { pk } = keys.taxOrganisation(year, '');
    const [organisations, employees] = await Promise.all([
      this.query(pk, 'ORG#', taxOrganisationSchema, onMalformed),
      this.query(pk, keys.taxEmployee(year, '', '').sk, taxEmployeeSchema, onMalformed),
    ]);
    return { organisations, employees };
  }

  async taxDataOf(year: number, taxCode: string, onMalformed: (m: MalformedItem) => void) {
    const org = keys.taxOrganisation(year, taxCode);
    const [organisations, employees] = await Promise.all([
      // The prefix also takes the payer's branches (`-001`...): the row whose code is this one is kept.
      this.query(org.pk, org.sk, taxOrganisationSchema, onMalformed),
      this.query(org.pk, keys.taxEmployeesOf(year, taxCode).sk, taxEmployeeSchema, onMalformed),
    ]);
    return { organisation: organisations.find((o) => o.taxCode === taxCode), employees };
  }

  async register(onMalformed: (m: MalformedItem) => void) {
    const { pk } = keys.registration('');
    return this.query(pk, 'BUSINESS#', businessRegistrationSchema, onMalformed);
  }

  async putTaxCheck(check: TaxCheckRecord) {
    const record = taxCheckSchema.parse(check);
    return putIfAbsent(this.db, this.tableName, {
      ...keys.taxCheck(record.taskId), ...keys.taxCheckIndex(record.subjectCode, record.quarter, record.taskId),
      ...keys.taxCheckQuarterIndex(record.quarter, record.subjectCode, record.taskId), ...record,
    });
  }

  async getTaxCheck(taskId: string) {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.taxCheck(taskId), ConsistentRead: true }));
    return r.Item ? taxCheckSchema.parse(strip(r.Item)) : undefined;
  }

  taxChecksOf(subjectCode: string) {
    return queryAll(this.db, {
      TableName: this.tableName, IndexName: GSI2,
      KeyConditionExpression: 'gsi2pk = :s', ExpressionAttributeValues: { ':s': keys.taxCheckIndex(subjectCode, '', '').gsi2pk },
    }, (i) => taxCheckSchema.parse(strip(i)));
  }

  taxChecksIn(quarter: string) {
    return queryAll(this.db, {
      TableName: this.tableName, IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :q', ExpressionAttributeValues: { ':q': keys.taxCheckQuarterIndex(quarter, '', '').gsi1pk },
    }, (i) => taxCheckSchema.parse(strip(i)));
  }

  async setTaxCheckResult(taskId: string, result: NonNullable<TaxCheckRecord['result']>) {
    await this.db.send(new UpdateCommand({
      TableName: this.tableName, Key: keys.taxCheck(taskId),
      UpdateExpression: 'SET #result = :result', ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#result': 'result' }, ExpressionAttributeValues: { ':result': taxCheckResultSchema.parse(result) },
    }));
  }

  async putRegisteredByCheck(record: RegisteredByCheckRecord) {
    const r = registeredByCheckSchema.parse(record);
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.registeredByCheck(r.unitCode, r.quarter, r.taskId), ...keys.registeredIndex(r.quarter, r.unitCode, r.taskId), ...r } }));
  }

  registeredIn(quarter: string) {
    return queryAll(this.db, {
      TableName: this.tableName, IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :q', ExpressionAttributeValues: { ':q': keys.registeredIndex(quarter, '', '').gsi1pk },
    }, (i) => registeredByCheckSchema.parse(strip(i)));
  }

  private async query<T>(pk: string, prefix: string, schema: z.ZodType<T>, onMalformed: (m: MalformedItem) => void): Promise<T[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    }, (item: Item) => {
      const { pk: _pk, sk, ...fields } = item;
      const parsed = schema.safeParse(fields);
      if (parsed.success) return parsed.data;
      // The field names only: values can be personal data.
      onMalformed({ key: `${pk} ${String(sk)}`, reason: `does not validate (${[...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))].join(', ')})` });
      return undefined;
    });
    return items.filter((i): i is Awaited<T> & {} => i !== undefined) as T[];
  }
}
