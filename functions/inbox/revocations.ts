import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys, TABLE_DESIGN } from '../commons/table.ts';

/**
 * Signed-out inbox sessions, until their access token expires. Cognito's RevokeToken (at sign-out)
 * stops the refresh token and Cognito's own endpoints, but an access token's signature stays valid
 * until it expires: the inbox's authorizer asks this list too. One item per session (`SESSION#<jti>`,
 * `REVOKED`) with the token's expiry as the table's TTL attribute; the expiry is also checked on
 * read, since dynalite never expires items and DynamoDB deletes expired ones only eventually.
 */
export interface Revocations {
  revoke(sessionId: string, expiresAt: number): Promise<void>;
  isRevoked(sessionId: string, nowSeconds: number): Promise<boolean>;
}

export function dynamoRevocations(db: DynamoDBDocumentClient, tableName: string): Revocations {
  return {
    async revoke(sessionId, expiresAt) {
      await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.revokedSession(sessionId), [TABLE_DESIGN.timeToLiveAttribute]: expiresAt } }));
    },
    async isRevoked(sessionId, nowSeconds) {
      const r = await db.send(new GetCommand({ TableName: tableName, Key: keys.revokedSession(sessionId), ConsistentRead: true }));
      const expiresAt = r.Item?.[TABLE_DESIGN.timeToLiveAttribute];
      return typeof expiresAt === 'number' && expiresAt > nowSeconds;
    },
  };
}
