import { BatchWriteCommand, PutCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** The read and write helpers both stores (arrears, reminders) share on the one table. */

type Item = Record<string, unknown>;

/** Every item a query returns, every page of it (none is left behind past 1 MB), each through `parse`. */
export async function queryAll<T>(db: DynamoDBDocumentClient, input: QueryCommandInput, parse: (item: Item) => T): Promise<T[]> {
  const out: T[] = [];
  for await (const page of paginateQuery({ client: db }, input)) for (const item of page.Items ?? []) out.push(parse(item));
  return out;
}

/** BatchWriteItem's limit. */
const BATCH = 25;
/** Unprocessed items (throttling) are sent again with backoff, this many times before giving up. */
const MAX_RETRIES = 8;

/** Conditional put: true when written, false when an item with that key was already there. */
export async function putIfAbsent(db: DynamoDBDocumentClient, tableName: string, item: Item): Promise<boolean> {
  try {
    await db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Puts items 25 at a time, resending what DynamoDB leaves unprocessed. */
export async function batchPut(db: DynamoDBDocumentClient, tableName: string, items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    let pending: Item[] = items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > MAX_RETRIES) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${attempt} attempts`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 25));
      const r = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = (r.UnprocessedItems?.[tableName] ?? []) as Item[];
    }
  }
}

/** For conditional updates whose refusal means "already done": swallow that, rethrow anything else. */
export function ignoreConditionFailure(error: unknown): void {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
}
