import { randomUUID } from 'node:crypto';
import { createTable, startDynalite, type EmbeddedDynamo } from '../../local/embedded/dynalite.ts';
import { DynamoArrearsStore } from '../../functions/commons/dynamo-store.ts';

/** A dynalite server with a fresh table for one test file: the real DynamoDB wire protocol. */
export async function dynamoForTests(): Promise<{ dynamo: EmbeddedDynamo; tableName: string; store: DynamoArrearsStore; close(): Promise<void> }> {
  const dynamo = await startDynalite();
  const tableName = `arrears-${randomUUID().slice(0, 8)}`;
  await createTable(dynamo.client, tableName);
  return { dynamo, tableName, store: new DynamoArrearsStore(dynamo.doc, tableName), close: () => dynamo.close() };
}
