import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import type { Classification } from '../config';
import { TOKENIZED_FIELDS, type SensitiveField } from './policy';

/** Token format: recognisable in data, random, and meaningless without the vault. */
export const TOKEN_PATTERN = /^tok_[A-Za-z0-9_-]{43}$/;

/**
 * Tokenize only: puts a value in the token vault under a new random token. The vault table is
 * keyed by `token`; the put is conditional, so a token is never overwritten. Reading a value
 * back (detokenize) is a separate function with its own permission, which this service's
 * routes never use.
 */
export class TokenVault {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async tokenize(value: string, field: string, owner: string): Promise<string> {
    const token = `tok_${randomBytes(32).toString('base64url')}`;
    await this.dynamodb.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          token: { S: token },
          value: { S: value },
          field: { S: field },
          owner: { S: owner },
          createdAt: { S: new Date().toISOString() },
        },
        ConditionExpression: 'attribute_not_exists(#t)',
        ExpressionAttributeNames: { '#t': 'token' },
      }),
    );
    return token;
  }

  /** Replaces the fields that the classification tokenizes by tokens; the others pass through. */
  async protect(attributes: Partial<Record<SensitiveField, string>>, classification: Classification, owner: string): Promise<Record<string, string>> {
    const tokenized = new Set<string>(TOKENIZED_FIELDS[classification]);
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(attributes)) {
      if (value === undefined) continue;
      out[field] = tokenized.has(field) ? await this.tokenize(value, field, owner) : value;
    }
    return out;
  }
}
