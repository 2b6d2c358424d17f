import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TOKEN_PATTERN } from './vault';

/**
 * Detokenize: the value behind a token, for the owner who stored it. Deliberately separate from
 * the vault's tokenize path: it needs `dynamodb:GetItem` on the vault (and decrypt on its key),
 * which the application fleet's role does not have; only a privileged caller gets it.
 */
export async function detokenize(dynamodb: DynamoDBClient, tableName: string, token: string, owner: string): Promise<string | undefined> {
  if (!TOKEN_PATTERN.test(token)) throw new Error('token: not a vault token (tok_ followed by 43 base64url characters)');
  const out = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { token: { S: token } }, ConsistentRead: true }));
  if (!out.Item || out.Item.owner?.S !== owner) return undefined;
  return out.Item.value?.S;
}
