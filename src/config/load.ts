import { z } from 'zod';
import { ConfigError, describeIssue } from './errors';
import { parseConfigText } from './parse-yaml';
import { ConfigReadError, readConfigText } from './read-file';
import { configSchema, type Config } from './schema';

/** Validates a parsed config object; throws ConfigError listing every problem. */
export function validateConfig(input: unknown, source = 'config'): Config {
  let result: ReturnType<typeof configSchema.safeParse>;
  try {
    result = configSchema.safeParse(input, { reportInput: true });
  } catch (error) {
    // A check that meets input it did not expect must still end in a message, not a stack trace.
    throw new ConfigError(source, [`(top level): cannot be validated (${error instanceof Error ? error.name : 'error'}); check the file's structure against config/dev.yaml`]);
  }
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => describeIssue(issue, (path) => allowedKeysAt(path)).split('\n  - '));
  throw new ConfigError(source, problems);
}

/** Reads a YAML config file and validates it. */
export function loadConfig(path: string): Config {
  let parsed: unknown;
  try {
    parsed = parseConfigText(readConfigText(path));
  } catch (error) {
    if (error instanceof ConfigReadError) throw new ConfigError(path, [error.problem]);
    throw error;
  }
  return validateConfig(parsed, path);
}

/** The field names the schema allows at `path`, for "unknown field" messages. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = configSchema;
  for (const key of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[key as string] ?? schema;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}
